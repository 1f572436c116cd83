/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-deadline"

#include "config.h"

#include "buurten-deadline.h"

/* TODO: implementation pending. */
