/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-entity"

#include "config.h"

#include "buurten-entity.h"

/* TODO: implementation pending. */
