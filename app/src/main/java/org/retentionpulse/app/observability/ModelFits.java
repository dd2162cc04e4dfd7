package org.retentionpulse.app.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.retentionpulse.schemas.ModelFit;
import org.retentionpulse.schemas.serde.ModelFitSerde;
import org.retentionpulse.schemas.serde.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest customer-lifetime model fit of every customer task and segment ({@code all}, and with
 * {@code model.fit.segment-dimension} each value that has a fit: at most sample size / minimum repeat buyers per task
 * at a time, which caps the {@code segment} label), read from the compacted {@code retention-model}
 * topic from its beginning ({@code read_committed}), so every instance knows every task's fit. Serves
 * {@code GET /api/model} ({@code ModelQueries}) and exports, per fit ({@code segment}, {@code partition} labels):
 * {@code retention_pulse_model_parameter{parameter=r|alpha|a|b|p|q|v}},
 * {@code retention_pulse_model_log_likelihood{model=bgnbd|gamma_gamma}}, {@code retention_pulse_model_customers}
 * (BG/NBD sample), {@code retention_pulse_model_repeat_buyers}, {@code retention_pulse_model_fit_seconds} and
 * {@code retention_pulse_model_fitted_at_seconds} (the event-time instant, epoch seconds).
 */
public final class ModelFits implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelFits.class);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ModelFitSerde serde = new ModelFitSerde(WireFormat.AVRO);
    /** key segment|partition -> latest fit, in key order. */
    private final Map<String, ModelFit> latest = new TreeMap<>();
    private final MultiGauge parameters;
    private final MultiGauge logLikelihoods;
    private final MultiGauge customers;
    private final MultiGauge repeatBuyers;
    private final MultiGauge fitSeconds;
    private final MultiGauge fittedAt;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public ModelFits(Properties clientProperties, String topic, MeterRegistry registry) {
        this.topic = topic;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "retention-pulse-model-fits");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.parameters = gauge(registry, "retention.pulse.model.parameter", "Fitted BG/NBD (r, alpha in days, a, b) and Gamma-Gamma (p, q, v) parameters");
        this.logLikelihoods = gauge(registry, "retention.pulse.model.log.likelihood", "Log-likelihood of the latest fit, per model");
        this.customers = gauge(registry, "retention.pulse.model.customers", "Customers in the latest BG/NBD fit (the sample)");
        this.repeatBuyers = gauge(registry, "retention.pulse.model.repeat.buyers", "Customers in the latest Gamma-Gamma fit");
        this.fitSeconds = gauge(registry, "retention.pulse.model.fit.seconds", "Wall-clock time the latest fit took");
        this.fittedAt = gauge(registry, "retention.pulse.model.fitted.at.seconds", "Event-time instant of the latest fit (epoch seconds)");
        this.thread = new Thread(this::run, "retention-pulse-model-fits");
        thread.setDaemon(true);
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    /** Assigns every partition of the topic at its beginning, then consumes on its own thread. */
    public ModelFits start() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            log.warn("Model topic {} does not exist: GET /api/model and the model gauges stay empty", topic);
        } else {
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        thread.start();
        return this;
    }

    /** The latest fit per {@code segment|partition} key, in key order. */
    public synchronized List<ModelFit> latest() {
        return new ArrayList<>(latest.values());
    }

    private void run() {
        try {
            while (running.get()) {
                if (consumer.assignment().isEmpty()) {
                    return;
                }
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    changed |= accept(record);
                }
                if (changed) {
                    publish();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Model fit monitor stopped: GET /api/model and the model gauges are no longer updated", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized boolean accept(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                return latest.remove(record.key()) != null;
            }
            latest.put(record.key(), serde.decode(record.value()));
            return true;
        } catch (RuntimeException e) {
            log.warn("Cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return false;
        }
    }

    private synchronized void publish() {
        List<MultiGauge.Row<?>> params = new ArrayList<>();
        List<MultiGauge.Row<?>> ll = new ArrayList<>();
        List<MultiGauge.Row<?>> n = new ArrayList<>();
        List<MultiGauge.Row<?>> repeat = new ArrayList<>();
        List<MultiGauge.Row<?>> seconds = new ArrayList<>();
        List<MultiGauge.Row<?>> at = new ArrayList<>();
        for (ModelFit f : latest.values()) {
            Tags tags = Tags.of("segment", f.getSegment(), "partition", Integer.toString(f.getPartition()));
            double[] values = {f.getR(), f.getAlpha(), f.getA(), f.getB(), f.getP(), f.getQ(), f.getV()};
            String[] names = {"r", "alpha", "a", "b", "p", "q", "v"};
            for (int i = 0; i < names.length; i++) {
                params.add(MultiGauge.Row.of(tags.and("parameter", names[i]), values[i]));
            }
            ll.add(MultiGauge.Row.of(tags.and("model", "bgnbd"), f.getPurchasesLogLikelihood()));
            ll.add(MultiGauge.Row.of(tags.and("model", "gamma_gamma"), f.getSpendLogLikelihood()));
            n.add(MultiGauge.Row.of(tags, f.getCustomers()));
            repeat.add(MultiGauge.Row.of(tags, f.getRepeatBuyers()));
            seconds.add(MultiGauge.Row.of(tags, f.getFitMicros() / 1e6));
            at.add(MultiGauge.Row.of(tags, f.getFittedAt().toEpochMilli() / 1000.0));
        }
        parameters.register(params, true);
        logLikelihoods.register(ll, true);
        customers.register(n, true);
        repeatBuyers.register(repeat, true);
        fitSeconds.register(seconds, true);
        fittedAt.register(at, true);
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
