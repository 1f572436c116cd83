/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-mandate"

#include "config.h"

#include "buurten-mandate.h"

/* TODO: implementation pending. */
