#!/usr/bin/env bash
# Converts the CDNOW transactions (CDNOW_master.txt, or its .gz) into Retention Pulse's JSON Lines input:
#   tools/scripts/cdnow-to-jsonl.sh topology/src/test/resources/cdnow/CDNOW_master.txt.gz /tmp/cdnow.jsonl
#   ./retention-pulse evaluate --input /tmp/cdnow.jsonl --calibration-end 1997-10-01 --holdout-end 1998-07-01 \
#       --reporting-currency USD
# Every transaction line becomes a purchase at 00:00 UTC of its date (the data has dates only), amount in USD,
# event and order id from the line number; every customer gets a signup at its first purchase (CDNOW's cohort is
# defined by the first purchase, and churn-risk tracking starts at a signup). Output in event-time order.
set -euo pipefail
if [[ $# -ne 2 ]]; then
    echo "usage: $0 CDNOW_master.txt[.gz] OUTPUT.jsonl" >&2
    exit 2
fi
gzip -cdf -- "$1" \
  | awk 'NR > 1 && NF >= 4 { printf "%s %s %09d %s\n", $2, $1, NR, $4 }' \
  | LC_ALL=C sort -k1,1 -k3,3 \
  | awk '{
      at = sprintf("%s-%s-%sT00:00:00Z", substr($1, 1, 4), substr($1, 5, 2), substr($1, 7, 2));
      id = "cdnow-" $2;
      if (!(id in seen)) {
          seen[id] = 1;
          printf "{\"type\":\"signup\",\"event_id\":\"%s-signup\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\"}\n", id, id, at;
      }
      line = $3 + 0;
      printf "{\"type\":\"purchase\",\"event_id\":\"cdnow-line-%d\",\"customer_id\":\"%s\",\"occurred_at\":\"%s\",\"order_id\":\"cdnow-order-%d\",\"amount\":\"%.2f\",\"currency\":\"USD\"}\n", line, id, at, line, $4;
  }' > "$2"
