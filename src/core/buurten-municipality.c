/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-municipality"

#include "config.h"

#include "buurten-municipality.h"

/* TODO: implementation pending. */
