/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-json"

#include "config.h"

#include "buurten-json.h"

/* TODO: implementation pending. */
