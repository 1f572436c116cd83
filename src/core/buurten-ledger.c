/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-ledger"

#include "config.h"

#include "buurten-ledger.h"

/* TODO: implementation pending. */
