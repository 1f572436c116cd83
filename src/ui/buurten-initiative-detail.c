/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-initiative-detail"

#include "config.h"

#include "buurten-initiative-detail-private.h"

#include <glib/gi18n.h>

#include "buurten-notes-view.h"

struct _BuurtenInitiativeDetail
{
  AdwBin          parent_instance;

  /* the template's child (not bound: AdwBin unparents its child itself) */
  GtkBox         *sections_box;

  /* borrowed references: they live in sections_box (not template children:
   * dispose_template would unparent them after their box) */
  GtkWidget      *spinner;
  GtkWidget      *notes_view;

  /* owned references */
  BuurtenContext *context;
  GCancellable   *cancellable;

  /* plain data */
  char           *initiative_id;
};

G_DEFINE_FINAL_TYPE (BuurtenInitiativeDetail, buurten_initiative_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_INITIATIVE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the story ------------------------------------------------------- */

static void
ptr_array_clear (GPtrArray **array)
{
  g_clear_pointer (array, g_ptr_array_unref);
}

void
buurten_initiative_story_free (BuurtenInitiativeStory *story)
{
  if (story == NULL)
    return;
  buurten_initiative_free (story->initiative);
  buurten_request_free (story->source_request);
  ptr_array_clear (&story->budget_lines);
  ptr_array_clear (&story->activities);
  ptr_array_clear (&story->agreements);
  ptr_array_clear (&story->decisions);
  ptr_array_clear (&story->commitments);
  g_clear_pointer (&story->signatures, g_hash_table_unref);
  ptr_array_clear (&story->payments);
  buurten_verantwoording_free (story->verantwoording);
  ptr_array_clear (&story->notes);
  ptr_array_clear (&story->history);
  g_free (story);
}

static gint64
position_of (const BuurtenEntityInfo *info,
             gconstpointer            entity)
{
  if (info == &buurten_budget_line_info)
    return ((const BuurtenBudgetLine *) entity)->position;
  if (info == &buurten_agreement_info)
    return ((const BuurtenAgreement *) entity)->position;
  return 0;
}

static const GDate *
date_of (const BuurtenEntityInfo *info,
         gconstpointer            entity)
{
  if (info == &buurten_activity_info)
    return &((const BuurtenActivity *) entity)->starts_on;
  if (info == &buurten_decision_info)
    return &((const BuurtenDecision *) entity)->decided_on;
  if (info == &buurten_payment_info)
    return &((const BuurtenPayment *) entity)->paid_on;
  return NULL;
}

static gint
compare_entities (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const BuurtenEntityInfo *info = user_data;
  gconstpointer x = *(gconstpointer const *) a;
  gconstpointer y = *(gconstpointer const *) b;
  const GDate *dx = date_of (info, x);
  const GDate *dy = date_of (info, y);
  gint64 px;
  gint64 py;

  if (info == &buurten_commitment_info)
    {
      gint64 cx = ((const BuurtenCommitment *) x)->created_at;
      gint64 cy = ((const BuurtenCommitment *) y)->created_at;

      return cx < cy ? -1 : cx > cy;
    }
  if (dx != NULL && dy != NULL)
    {
      if (!g_date_valid (dx) || !g_date_valid (dy))
        return g_date_valid (dx) - g_date_valid (dy);
      return g_date_compare (dx, dy);
    }
  px = position_of (info, x);
  py = position_of (info, y);
  return px < py ? -1 : px > py;
}

/* The entities of info whose field is id, sorted, freed with free_func. */
static GPtrArray *
list_sorted (BuurtenStore             *store,
             const BuurtenEntityInfo  *info,
             const char               *field,
             const char               *id,
             GDestroyNotify            free_func,
             GError                  **error)
{
  GPtrArray *list = buurten_store_list (store, info, field, id, error);

  if (list == NULL)
    return NULL;
  g_ptr_array_set_free_func (list, free_func);
  g_ptr_array_sort_with_data (list, compare_entities, (gpointer) info);
  return list;
}

static gpointer
story_load (BuurtenStore  *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  const char *id = data;
  BuurtenInitiativeStory *story = g_new0 (BuurtenInitiativeStory, 1);

  story->initiative = buurten_store_get (store, &buurten_initiative_info, id, error);
  if (story->initiative == NULL)
    goto failed;
  if (story->initiative->source_request_id != NULL)
    story->source_request = buurten_store_get (store, &buurten_request_info,
                                               story->initiative->source_request_id, NULL);

#define LIST(member, type)                                                              \
  G_STMT_START {                                                                        \
    story->member = list_sorted (store, &buurten_##type##_info, "initiative_id", id,      \
                                 (GDestroyNotify) buurten_##type##_free, error);        \
    if (story->member == NULL)                                                          \
      goto failed;                                                                      \
  } G_STMT_END

  LIST (budget_lines, budget_line);
  LIST (activities, activity);
  LIST (agreements, agreement);
  LIST (decisions, decision);
  LIST (commitments, commitment);
#undef LIST

  story->signatures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  story->payments = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_payment_free);
  for (guint i = 0; i < story->commitments->len; i++)
    {
      const BuurtenCommitment *commitment = g_ptr_array_index (story->commitments, i);
      GPtrArray *signatures;
      g_autoptr(GPtrArray) payments = NULL;

      signatures = buurten_store_list (store, &buurten_signature_info, "commitment_id",
                                       commitment->id, error);
      if (signatures == NULL)
        goto failed;
      g_ptr_array_set_free_func (signatures, (GDestroyNotify) buurten_signature_free);
      g_hash_table_insert (story->signatures, g_strdup (commitment->id), signatures);

      payments = buurten_store_list (store, &buurten_payment_info, "commitment_id",
                                     commitment->id, error);
      if (payments == NULL)
        goto failed;
      /* buurten_store_list() hands its entities over without a free function. */
      for (guint k = 0; k < payments->len; k++)
        g_ptr_array_add (story->payments, g_ptr_array_index (payments, k));
      g_ptr_array_set_free_func (payments, NULL);
    }
  g_ptr_array_sort_with_data (story->payments, compare_entities,
                              (gpointer) &buurten_payment_info);

  {
    g_autoptr(GPtrArray) verantwoordingen = NULL;

    /* One per initiative (the server's unique index). */
    verantwoordingen = buurten_store_list (store, &buurten_verantwoording_info, "initiative_id",
                                           id, error);
    if (verantwoordingen == NULL)
      goto failed;
    g_ptr_array_set_free_func (verantwoordingen, (GDestroyNotify) buurten_verantwoording_free);
    if (verantwoordingen->len > 0)
      story->verantwoording = g_ptr_array_steal_index (verantwoordingen, 0);
  }

  story->notes = buurten_notes_view_load_notes (store, "initiative", id, error);
  if (story->notes == NULL)
    goto failed;
  story->history = buurten_store_history (store, "initiative", id, error);
  if (story->history == NULL)
    goto failed;
  g_ptr_array_set_free_func (story->history, (GDestroyNotify) buurten_audit_entry_free);

  return story;

failed:
  buurten_initiative_story_free (story);
  return NULL;
}

/* ---- showing it ------------------------------------------------------ */

static void
clear_sections (BuurtenInitiativeDetail *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sections_box));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != self->spinner && child != self->notes_view)
        gtk_box_remove (self->sections_box, child);
      child = next;
    }
  if (self->notes_view != NULL)
    gtk_widget_set_visible (self->notes_view, FALSE);
}

static void
show_story (BuurtenInitiativeDetail      *self,
            const BuurtenInitiativeStory *story)
{
  BuurtenDetailEnv env = { 0, };
  GtkWidget *previous = NULL;

  clear_sections (self);
  gtk_widget_set_visible (self->spinner, FALSE);

  env.context = self->context;
  env.story = story;
  env.notes_view = self->notes_view;
  env.show_personal = buurten_context_get_user_role (self->context) != BUURTEN_ROLE_PARTNER;

  buurten_notes_view_set_subject (BUURTEN_NOTES_VIEW (self->notes_view), "initiative",
                                  story->initiative->id, FALSE);
  buurten_notes_view_set_notes (BUURTEN_NOTES_VIEW (self->notes_view), story->notes);

  for (guint i = 0; buurten_initiative_detail_sections[i] != NULL; i++)
    {
      GtkWidget *section = buurten_initiative_detail_sections[i] (&env);

      if (section == NULL)
        continue;
      /* The notes view is kept across initiatives (its entry and save). */
      if (section == self->notes_view)
        {
          gtk_widget_set_visible (section, TRUE);
          gtk_box_reorder_child_after (self->sections_box, section, previous);
        }
      else
        {
          gtk_box_insert_child_after (self->sections_box, section, previous);
        }
      previous = section;
    }
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BuurtenInitiativeDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  BuurtenInitiativeStory *story;

  story = buurten_store_load_finish (BUURTEN_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (story == NULL)
    {
      gtk_widget_set_visible (self->spinner, FALSE);
      if (!g_error_matches (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_OPEN))
        g_message ("Cannot load the initiative: %s", error != NULL ? error->message : "unknown");
      return;
    }
  show_story (self, story);
  buurten_initiative_story_free (story);
}

/* Parts of the story the initiatives' list does not reload for (it does
 * for the initiative and its commitments, and shows the detail again). */
static const char * const story_parts[] = {
  "budget_line", "activity", "agreement", "decision", "signature", "payment",
  "verantwoording", NULL
};

static void
on_context_changed_cb (BuurtenContext          *context,
                       const char              *entity_type,
                       const char              *id,
                       BuurtenInitiativeDetail *self)
{
  if (self->initiative_id != NULL && entity_type != NULL &&
      g_strv_contains (story_parts, entity_type))
    buurten_initiative_detail_reload (self);
}

/* ---- GObject --------------------------------------------------------- */

static void
buurten_initiative_detail_dispose (GObject *object)
{
  BuurtenInitiativeDetail *self = BUURTEN_INITIATIVE_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
  g_clear_object (&self->context);
  self->notes_view = NULL;
  self->spinner = NULL;
  self->sections_box = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), BUURTEN_TYPE_INITIATIVE_DETAIL);

  G_OBJECT_CLASS (buurten_initiative_detail_parent_class)->dispose (object);
}

static void
buurten_initiative_detail_finalize (GObject *object)
{
  BuurtenInitiativeDetail *self = BUURTEN_INITIATIVE_DETAIL (object);

  g_free (self->initiative_id);

  G_OBJECT_CLASS (buurten_initiative_detail_parent_class)->finalize (object);
}

static void
buurten_initiative_detail_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BuurtenInitiativeDetail *self = BUURTEN_INITIATIVE_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_INITIATIVE_ID:
      g_value_set_string (value, self->initiative_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_initiative_detail_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BuurtenInitiativeDetail *self = BUURTEN_INITIATIVE_DETAIL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      buurten_initiative_detail_set_context (self, g_value_get_object (value));
      break;
    case PROP_INITIATIVE_ID:
      buurten_initiative_detail_set_initiative_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
buurten_initiative_detail_class_init (BuurtenInitiativeDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = buurten_initiative_detail_dispose;
  object_class->finalize = buurten_initiative_detail_finalize;
  object_class->get_property = buurten_initiative_detail_get_property;
  object_class->set_property = buurten_initiative_detail_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, BUURTEN_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INITIATIVE_ID] =
    g_param_spec_string ("initiative-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/hilversum/Buurten/buurten-initiative-detail.ui");
}

static void
buurten_initiative_detail_init (BuurtenInitiativeDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->sections_box = GTK_BOX (adw_bin_get_child (ADW_BIN (self)));
  self->spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loading"), -1);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (self->sections_box, self->spinner);
  self->notes_view = buurten_notes_view_new ();
  gtk_widget_set_visible (self->notes_view, FALSE);
  gtk_box_append (self->sections_box, self->notes_view);
}

/* ---- public API ------------------------------------------------------ */

GtkWidget *
buurten_initiative_detail_new (void)
{
  return g_object_new (BUURTEN_TYPE_INITIATIVE_DETAIL, NULL);
}

BuurtenContext *
buurten_initiative_detail_get_context (BuurtenInitiativeDetail *self)
{
  g_return_val_if_fail (BUURTEN_IS_INITIATIVE_DETAIL (self), NULL);

  return self->context;
}

void
buurten_initiative_detail_set_context (BuurtenInitiativeDetail *self,
                                       BuurtenContext          *context)
{
  g_return_if_fail (BUURTEN_IS_INITIATIVE_DETAIL (self));
  g_return_if_fail (context == NULL || BUURTEN_IS_CONTEXT (context));

  if (self->context == context)
    return;
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (self->context, on_context_changed_cb, self);
  g_set_object (&self->context, context);
  if (context != NULL)
    g_signal_connect (context, "changed", G_CALLBACK (on_context_changed_cb), self);
  buurten_notes_view_set_context (BUURTEN_NOTES_VIEW (self->notes_view), context);
  buurten_initiative_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
buurten_initiative_detail_get_initiative_id (BuurtenInitiativeDetail *self)
{
  g_return_val_if_fail (BUURTEN_IS_INITIATIVE_DETAIL (self), NULL);

  return self->initiative_id;
}

void
buurten_initiative_detail_set_initiative_id (BuurtenInitiativeDetail *self,
                                             const char              *id)
{
  g_return_if_fail (BUURTEN_IS_INITIATIVE_DETAIL (self));

  if (g_strcmp0 (self->initiative_id, id) == 0)
    return;
  g_free (self->initiative_id);
  self->initiative_id = g_strdup (id);
  buurten_initiative_detail_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIATIVE_ID]);
}

void
buurten_initiative_detail_reload (BuurtenInitiativeDetail *self)
{
  g_return_if_fail (BUURTEN_IS_INITIATIVE_DETAIL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_sections (self);

  if (self->context == NULL || self->initiative_id == NULL)
    {
      gtk_widget_set_visible (self->spinner, FALSE);
      return;
    }

  gtk_widget_set_visible (self->spinner, TRUE);
  self->cancellable = g_cancellable_new ();
  buurten_store_load_async (buurten_context_get_store (self->context), story_load,
                            g_strdup (self->initiative_id), g_free,
                            (GDestroyNotify) buurten_initiative_story_free, self->cancellable,
                            load_cb, g_object_ref (self));
}

char *
buurten_initiative_format_term (BuurtenContext          *context,
                                const BuurtenInitiative *initiative,
                                gboolean                 long_form,
                                gint                    *days_left)
{
  BuurtenMunicipality *municipality;
  char due_text[32];
  g_autofree char *left = NULL;
  GDate today;
  GDate due;
  gint days = 0;

  g_return_val_if_fail (BUURTEN_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (initiative != NULL, NULL);

  municipality = buurten_context_get_municipality (context);
  buurten_context_get_today (context, &today);
  if (days_left != NULL)
    *days_left = 0;
  if (municipality == NULL || !g_date_valid (&today) ||
      !buurten_initiative_decision_term (initiative->state, &initiative->submitted_on,
                                         buurten_municipality_decision_term_weeks (municipality),
                                         &today, &due, &days))
    return NULL;

  if (days_left != NULL)
    *days_left = days;
  g_date_strftime (due_text, sizeof due_text, "%d-%m-%Y", &due);
  if (days > 0)
    left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left", days),
                            days);
  else if (days == 0)
    left = g_strdup (_("due today"));
  else
    left = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day late", "%d days late", -days),
                            -days);

  if (long_form)
    /* Translators: an initiative's decision deadline and the days left,
     * e.g. "Decision due 12-01-2027, 23 days left" */
    return g_strdup_printf (_("Decision due %1$s, %2$s"), due_text, left);
  /* Translators: in the list's "Decision due" column, e.g. "12-01-2027 · 23 days left" */
  return g_strdup_printf (_("%1$s · %2$s"), due_text, left);
}
