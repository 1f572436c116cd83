/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-states"

#include "config.h"

#include "buurten-states.h"

/* TODO: implementation pending. */
