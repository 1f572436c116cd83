/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-money"

#include "config.h"

#include "buurten-money.h"

/* TODO: implementation pending. */
