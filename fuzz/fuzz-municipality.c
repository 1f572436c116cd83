/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: the municipality file (wijken, budgets, mandates), which an
 * admin loads with import-municipality and every laptop reads: refused
 * with an error or loaded whole, and then every table it gives can be
 * used by the mandate engine and the ledger. */

#include "config.h"

#include <stdint.h>

#include "buurten-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BuurtenMunicipality) municipality = NULL;
  GPtrArray *tables;

  municipality = buurten_municipality_new_from_data ((const char *) data, (gssize) size, &error);
  if (municipality == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  tables = buurten_municipality_get_mandate_tables (municipality);
  for (guint t = 0; t < tables->len; t++)
    {
      const BuurtenMandateTable *table = g_ptr_array_index (tables, t);
      g_autoptr(BuurtenLedger) ledger = buurten_ledger_new (municipality, table->valid_from);
      g_autoptr(GPtrArray) city = NULL;
      gint64 total = 0;

      city = buurten_ledger_city (ledger, &total);
      for (guint w = 0; w < city->len; w++)
        {
          const BuurtenThermometer *thermometer = g_ptr_array_index (city, w);

          for (int funding = 0; funding <= BUURTEN_FUNDING_INVESTERING; funding++)
            {
              BuurtenMandateInput input = {
                .amount_cents = 250000,
                .funding = funding,
                .wijk = thermometer->id,
                .year = table->valid_from,
                .budget_cents = thermometer->budget_cents,
              };
              g_autoptr(BuurtenMandateResult) result = buurten_mandate_evaluate (table, &input);

              g_assert_nonnull (result);
              g_assert_nonnull (result->reason);
            }
        }
    }

  return 0;
}
