/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "buurten-initiative-detail.h"

#include "buurten-store.h"

G_BEGIN_DECLS

/* Everything the detail shows of one initiative, read in one load
 * (buurten-initiative-detail.c, story_load()); drawn section by section
 * (buurten-initiative-detail-sections.c). A new part of the story (the
 * verantwoording) is one member here, its lines in story_load() and one
 * section function in the table of buurten_initiative_detail_sections. */
typedef struct
{
  BuurtenInitiative *initiative;
  BuurtenRequest    *source_request;  /* the idea it came in as, or NULL */
  GPtrArray         *budget_lines;    /* BuurtenBudgetLine*, by position */
  GPtrArray         *activities;      /* BuurtenActivity*, by date */
  GPtrArray         *agreements;      /* BuurtenAgreement*, by position */
  GPtrArray         *decisions;       /* BuurtenDecision*, by date */
  GPtrArray         *commitments;     /* BuurtenCommitment*, oldest first */
  GHashTable        *signatures;      /* commitment id -> GPtrArray of BuurtenSignature* */
  GPtrArray         *payments;        /* BuurtenPayment*, by date */
  BuurtenVerantwoording *verantwoording; /* or NULL: not recorded yet */
  GPtrArray         *notes;           /* BuurtenNote*, newest first */
  GPtrArray         *history;         /* BuurtenAuditEntry*, oldest first */
} BuurtenInitiativeStory;

void buurten_initiative_story_free (BuurtenInitiativeStory *story);

/* What a section may use besides the story. */
typedef struct
{
  BuurtenContext               *context;
  const BuurtenInitiativeStory *story;
  GtkWidget                    *notes_view;   /* the detail's BuurtenNotesView */
  gboolean                      show_personal; /* never for partners */
} BuurtenDetailEnv;

/* A section: a headed group (AdwPreferencesGroup), or NULL to leave it out. */
typedef GtkWidget *(*BuurtenDetailSectionFunc) (const BuurtenDetailEnv *env);

/* The sections in the order they are shown, NULL-terminated. */
extern const BuurtenDetailSectionFunc buurten_initiative_detail_sections[];

G_END_DECLS
