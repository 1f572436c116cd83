/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "buurten-store"

#include "config.h"

#include "buurten-store-private.h"

/* -- search -- */

/* Search runs in two steps, because FTS5's own ORDER BY rank computes
 * bm25 for every matching row and, before that, walks the full list of
 * every word to count its documents: with 100 000 requests a common word
 * costs tens of milliseconds. Instead:
 *
 * 1. one pass over the index, newest first, takes the scores of at most
 *    SEARCH_CANDIDATES matches (the index walk stops there), and the best
 *    `limit` of those are chosen here;
 * 2. only those rows are read, by rowid, and their snippet is made here.
 *
 * Words that say nothing ("de", "het") are dropped when the query has
 * other words: bm25 gives them almost no weight anyway, and their lists
 * are the longest to walk. */

typedef struct
{
  GPtrArray *folded;   /* the query words, case and accents folded */
  GArray    *prefix;   /* gboolean per word: matched as a prefix */
} SearchWords;

static void
search_words_clear (SearchWords *words)
{
  g_clear_pointer (&words->folded, g_ptr_array_unref);
  g_clear_pointer (&words->prefix, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchWords, search_words_clear)

/* The same folding as the unicode61 tokenizer with remove_diacritics 2,
 * near enough to mark the words of a snippet. */
static char *
fold_word (const char *word,
           gssize      len)
{
  g_autofree char *decomposed = g_utf8_normalize (word, len, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gboolean
is_stopword (const char *folded)
{
  static const char * const stopwords[] = {
    "aan", "al", "als", "bij", "dan", "dat", "de", "die", "door", "een", "en", "er",
    "het", "in", "is", "met", "naar", "nog", "of", "om", "op", "over", "te", "tot",
    "uit", "van", "voor", "was", "wel", "zijn",
  };

  for (guint i = 0; i < G_N_ELEMENTS (stopwords); i++)
    if (g_str_equal (folded, stopwords[i]))
      return TRUE;
  return FALSE;
}

/* Appends text as an FTS5 string: inside double quotes, a quote is
 * written twice; nothing else is special there. */
static void
append_fts_string (GString    *query,
                   const char *text)
{
  g_string_append_c (query, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* Turns what somebody typed into an FTS5 query that cannot be a syntax
 * error: every run of letters and digits becomes a quoted string with a
 * trailing * (prefix search as you type), limited to the title and body
 * columns, and the strings are ANDed. Quotes, operators, brackets and
 * emoji are separators, never syntax. A single character is matched as a
 * whole word, not as a prefix: "k*" would merge the lists of every word
 * starting with k and finds everything anyway. NULL when nothing
 * searchable is left. */
static char *
search_query (const char  *text,
              const char  *wijk,
              SearchWords *words)
{
  g_autofree char *normal = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) token = g_string_new (NULL);
  GString *query;
  guint n_kept = 0;
  gboolean ends_in_word = FALSE;

  words->folded = g_ptr_array_new_with_free_func (g_free);
  words->prefix = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (text != NULL && g_utf8_validate (text, -1, NULL))
    normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);

  for (const char *p = normal; p != NULL; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && is_word_char (c))
        {
          g_string_append_unichar (token, c);
          ends_in_word = TRUE;
          continue;
        }
      if (token->len > 0 && tokens->len < SEARCH_MAX_TOKENS)
        g_ptr_array_add (tokens, g_strdup (token->str));
      g_string_truncate (token, 0);
      if (c == 0)
        break;
      ends_in_word = FALSE;
    }

  query = g_string_new (NULL);
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *t = g_ptr_array_index (tokens, i);
      char *folded = fold_word (t, -1);
      gboolean last = i + 1 == tokens->len;
      gboolean prefix = g_utf8_strlen (t, -1) > 1;

      /* The word still being typed is always kept. */
      if (is_stopword (folded) && !(last && ends_in_word) && tokens->len > 1)
        {
          g_free (folded);
          continue;
        }
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append (query, "{title body} : ");
      append_fts_string (query, t);
      if (prefix)
        g_string_append_c (query, '*');
      g_ptr_array_add (words->folded, folded);
      g_array_append_val (words->prefix, prefix);
      n_kept++;
    }

  /* Only stopwords: then they are what was asked for. */
  if (n_kept == 0 && tokens->len > 0)
    {
      g_string_free (query, TRUE);
      g_ptr_array_set_size (words->folded, 0);
      g_array_set_size (words->prefix, 0);
      query = g_string_new (NULL);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *t = g_ptr_array_index (tokens, i);
          gboolean prefix = g_utf8_strlen (t, -1) > 1;

          g_string_append (query, i > 0 ? " {title body} : " : "{title body} : ");
          append_fts_string (query, t);
          if (prefix)
            g_string_append_c (query, '*');
          g_ptr_array_add (words->folded, fold_word (t, -1));
          g_array_append_val (words->prefix, prefix);
          n_kept++;
        }
    }

  if (n_kept == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }

  /* The wijk is an indexed column, so that filtering on it costs no
   * lookup per matching row; the exact comparison follows on the rows
   * that are read. Its weight in the score is 0. */
  if (wijk != NULL)
    {
      g_string_append (query, " wijk : ^");
      append_fts_string (query, wijk);
    }
  return g_string_free (query, FALSE);
}

char *
buurten_store_search_query (const char *text,
                            const char *wijk)
{
  g_auto(SearchWords) words = { NULL, NULL };

  return search_query (text, wijk, &words);
}

static gboolean
word_matches (const SearchWords *words,
              const char        *folded,
              guint             *out_index)
{
  for (guint i = 0; i < words->folded->len; i++)
    {
      const char *w = g_ptr_array_index (words->folded, i);

      if (g_array_index (words->prefix, gboolean, i)
          ? g_str_has_prefix (folded, w) : g_str_equal (folded, w))
        {
          *out_index = i;
          return TRUE;
        }
    }
  return FALSE;
}

#define SNIPPET_WORDS 12

typedef struct
{
  gsize start;  /* byte offsets in the text */
  gsize end;
  int   match;  /* index of the query word, or -1 */
} SnippetWord;

/* The window of SNIPPET_WORDS words with the most distinct query words in
 * it, the matches between "[" and "]", "…" where text was cut. *out_score
 * is the number of distinct query words in the window. */
static char *
make_snippet (const char        *text,
              const SearchWords *words,
              guint             *out_score)
{
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (SnippetWord));
  GString *out;
  guint best_start = 0, best_score = 0, best_total = 0;
  guint n;

  *out_score = 0;
  if (text == NULL)
    return NULL;

  for (const char *p = text; *p != '\0';)
    {
      const char *q;
      SnippetWord w;
      guint index;

      if (!is_word_char (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      for (q = p; *q != '\0' && is_word_char (g_utf8_get_char (q)); q = g_utf8_next_char (q))
        ;
      {
        g_autofree char *folded = fold_word (p, q - p);

        w.start = (gsize) (p - text);
        w.end = (gsize) (q - text);
        w.match = word_matches (words, folded, &index) ? (int) index : -1;
      }
      g_array_append_val (list, w);
      p = q;
    }

  n = list->len;
  for (guint start = 0; start < MAX (n, 1); start++)
    {
      guint64 seen = 0;
      guint score = 0, total = 0;

      for (guint i = start; i < MIN (n, start + SNIPPET_WORDS); i++)
        {
          int m = g_array_index (list, SnippetWord, i).match;

          if (m < 0)
            continue;
          total++;
          if (!(seen & (G_GUINT64_CONSTANT (1) << m)))
            {
              seen |= G_GUINT64_CONSTANT (1) << m;
              score++;
            }
        }
      if (score > best_score || (score == best_score && total > best_total))
        {
          best_start = start;
          best_score = score;
          best_total = total;
        }
      if (start + SNIPPET_WORDS >= n)
        break;
    }

  /* Start a little before the first match, so that it reads as text. */
  if (best_score > 0)
    {
      guint first = best_start;

      while (g_array_index (list, SnippetWord, first).match < 0)
        first++;
      best_start = first > 2 ? first - 2 : 0;
      if (best_start + SNIPPET_WORDS > n)
        best_start = n > SNIPPET_WORDS ? n - SNIPPET_WORDS : 0;
    }

  out = g_string_new (NULL);
  if (n == 0)
    {
      g_string_append (out, text);
      return g_string_free (out, FALSE);
    }
  if (best_start > 0)
    g_string_append (out, "…");
  for (guint i = best_start; i < MIN (n, best_start + SNIPPET_WORDS); i++)
    {
      const SnippetWord *w = &g_array_index (list, SnippetWord, i);
      gsize gap_end = w->start;

      if (i > best_start)
        {
          const SnippetWord *prev = &g_array_index (list, SnippetWord, i - 1);

          g_string_append_len (out, text + prev->end, (gssize) (gap_end - prev->end));
        }
      if (w->match >= 0)
        g_string_append_c (out, '[');
      g_string_append_len (out, text + w->start, (gssize) (w->end - w->start));
      if (w->match >= 0)
        g_string_append_c (out, ']');
    }
  {
    guint last = MIN (n, best_start + SNIPPET_WORDS) - 1;
    const SnippetWord *w = &g_array_index (list, SnippetWord, last);

    if (last + 1 < n)
      g_string_append (out, "…");
    else
      g_string_append (out, text + w->end);  /* the closing full stop */
  }

  *out_score = best_score;
  return g_string_free (out, FALSE);
}

typedef struct
{
  gint64 rowid;
  double score;
} SearchCandidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const SearchCandidate *ca = a;
  const SearchCandidate *cb = b;

  /* bm25 is negative: lower is better. Ties: the newer first. */
  if (ca->score != cb->score)
    return ca->score < cb->score ? -1 : 1;
  return ca->rowid > cb->rowid ? -1 : ca->rowid < cb->rowid;
}

static BuurtenSearchHit *
read_hit (BuurtenStore       *self,
          gint64              rowid,
          const char         *wijk,
          const SearchWords  *words,
          GError            **error)
{
  g_autoptr(BuurtenCachedStmt) stmt =
    prepare (self, "SELECT type, id, wijk, title, body FROM search WHERE rowid = ?1", error);
  BuurtenSearchHit *hit;
  const char *title, *body;
  g_autofree char *title_snippet = NULL;
  g_autofree char *body_snippet = NULL;
  guint title_score, body_score;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, BUURTEN_STORE_ERROR, BUURTEN_STORE_ERROR_NOT_FOUND,
                     "search: row %" G_GINT64_FORMAT " vanished", rowid);
      else
        set_db_error (self, error, rc, "search");
      return NULL;
    }

  hit = g_new0 (BuurtenSearchHit, 1);
  hit->wijk = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (wijk != NULL && g_strcmp0 (hit->wijk, wijk) != 0)
    {
      /* The index matched a wijk whose id starts with this one's words. */
      buurten_search_hit_free (hit);
      return NULL;
    }
  hit->type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  hit->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  title = (const char *) sqlite3_column_text (stmt, 3);
  body = (const char *) sqlite3_column_text (stmt, 4);
  hit->title = g_strdup (title);

  /* The title is shown anyway: the body's words are the better snippet
   * unless only the title has them. */
  title_snippet = make_snippet (title, words, &title_score);
  body_snippet = make_snippet (body, words, &body_score);
  if (body_snippet != NULL && body_score >= title_score && body_score > 0)
    hit->snippet = g_steal_pointer (&body_snippet);
  else if (title_snippet != NULL && title_score > 0)
    hit->snippet = g_steal_pointer (&title_snippet);
  else
    hit->snippet = g_strdup (body_snippet != NULL ? body_snippet
                             : title_snippet != NULL ? title_snippet : "");
  return hit;
}

static gboolean
search_locked (BuurtenStore       *self,
               const char         *query,
               const char         *wijk,
               guint               limit,
               const SearchWords  *words,
               GPtrArray          *hits,
               GError            **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (SearchCandidate));
  int rc;

  /* Step 1: scores of the newest matches. Column weights: type, id and
   * wijk 0, title 2, body 1. */
  {
    g_autoptr(BuurtenCachedStmt) stmt =
      prepare (self, "SELECT rowid, bm25(search, 0.0, 0.0, 0.0, 2.0, 1.0) FROM search "
               "WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, SEARCH_CANDIDATES);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        SearchCandidate c = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) };

        g_array_append_val (candidates, c);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (self, error, rc, "search");
        return FALSE;
      }
  }
  g_array_sort (candidates, compare_candidates);

  /* Step 2: the best rows, read by rowid. */
  for (guint i = 0; i < candidates->len && hits->len < limit; i++)
    {
      const SearchCandidate *c = &g_array_index (candidates, SearchCandidate, i);
      g_autoptr(GError) local_error = NULL;
      BuurtenSearchHit *hit = read_hit (self, c->rowid, wijk, words, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (hit == NULL)
        continue;
      hit->rank = c->score;
      g_ptr_array_add (hits, hit);
    }
  return TRUE;
}

GPtrArray *
buurten_store_search (BuurtenStore  *self,
                      const char    *text,
                      const char    *wijk,
                      guint          limit,
                      GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_auto(SearchWords) words = { NULL, NULL };
  g_autofree char *query = NULL;
  gboolean in_read, ok;

  g_return_val_if_fail (BUURTEN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hits = g_ptr_array_new_with_free_func ((GDestroyNotify) buurten_search_hit_free);
  query = search_query (text, wijk, &words);
  if (query == NULL)
    return g_steal_pointer (&hits);
  if (limit == 0)
    limit = SEARCH_DEFAULT_LIMIT;

  locker = g_rec_mutex_locker_new (&CONN (self)->mutex);
  in_read = read_begin (self);
  ok = search_locked (self, query, wijk, limit, &words, hits, error);
  read_end (self, in_read);
  if (!ok)
    return NULL;
  return g_steal_pointer (&hits);
}
