/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-authority.h"
#include "buurten-catalogue.h"
#include "buurten-catalogue-args.h"
#include "buurten-deadline.h"
#include "buurten-entity.h"
#include "buurten-error.h"
#include "buurten-identifiers.h"
#include "buurten-intake.h"
#include "buurten-json.h"
#include "buurten-ledger.h"
#include "buurten-mandate.h"
#include "buurten-money.h"
#include "buurten-municipality.h"
#include "buurten-names.h"
#include "buurten-refusal.h"
#include "buurten-states.h"
