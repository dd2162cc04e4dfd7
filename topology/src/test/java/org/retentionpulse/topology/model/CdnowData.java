package org.retentionpulse.topology.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** The CDNOW files in {@code src/test/resources/cdnow/} (see its README), read for the model tests. */
public final class CdnowData {
    /** The published summaries' 39-week calibration period ends here (exclusive). */
    static final long CALIBRATION_END = LocalDate.of(1997, 10, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();

    /** One row of {@code cdnow_customers_summary_with_transactions.csv}, time in weeks. */
    record PublishedRow(int id, CustomerSummary summary) {
    }

    /** A customer's transactions: times (epoch ms) and amounts (cents). */
    public record Transactions(long[] times, long[] cents) {
    }

    private CdnowData() {
    }

    static List<PublishedRow> publishedSummaryWithSpend() {
        List<PublishedRow> rows = new ArrayList<>();
        lines("/cdnow/cdnow_customers_summary_with_transactions.csv", f -> rows.add(new PublishedRow(Integer.parseInt(f[0]),
                new CustomerSummary(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4])))));
        return rows;
    }

    /** {@code cdnow_customers_summary.csv} (frequency, recency, T in weeks), by sample id. */
    static Map<Integer, CustomerSummary> publishedSummary() {
        Map<Integer, CustomerSummary> rows = new LinkedHashMap<>();
        lines("/cdnow/cdnow_customers_summary.csv", f -> rows.put(Integer.parseInt(f[0]),
                new CustomerSummary(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), 0)));
        return rows;
    }

    /** Master id -> sample id of the 2,357 customers of the 1/10th sample. */
    static Map<Integer, Integer> sampleIds() {
        Map<Integer, Integer> ids = new TreeMap<>();
        lines("/cdnow/cdnow_sample_ids.csv", f -> ids.put(Integer.parseInt(f[0]), Integer.parseInt(f[1])));
        return ids;
    }

    /** Every transaction of {@code CDNOW_master.txt}, by master id. */
    public static Map<Integer, Transactions> master() {
        Map<Integer, List<long[]>> byCustomer = new TreeMap<>();
        lines("/cdnow/CDNOW_master.txt.gz", f -> byCustomer.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>())
                .add(new long[] {LocalDate.parse(f[1], java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                        .atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(),
                        new BigDecimal(f[3]).movePointRight(2).longValueExact()}));
        Map<Integer, Transactions> out = new TreeMap<>();
        byCustomer.forEach((id, list) -> out.put(id, new Transactions(list.stream().mapToLong(t -> t[0]).toArray(),
                list.stream().mapToLong(t -> t[1]).toArray())));
        return out;
    }

    private static void lines(String resource, Consumer<String[]> row) {
        try (InputStream raw = CdnowData.class.getResourceAsStream(resource);
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     resource.endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.US_ASCII))) {
            in.readLine(); // header
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    row.accept(line.trim().split("[,\\s]+"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
