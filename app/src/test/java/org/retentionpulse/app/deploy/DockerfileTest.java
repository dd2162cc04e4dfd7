package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.retentionpulse.app.RetentionPulse;
import org.retentionpulse.app.config.AppDefaults;
import org.retentionpulse.app.config.Settings;
import org.retentionpulse.app.deploy.DockerfileInstructions.Instruction;
import org.retentionpulse.app.deploy.DockerfileInstructions.Stage;
import org.retentionpulse.app.http.HealthRoutes;

/**
 * The Dockerfile cannot be built here (no Docker engine), so it is checked by reading: what it copies
 * exists and is not excluded from the build context, the jar it runs is the one the build produces, and
 * its port, healthcheck, user, volume and settings fit the application.
 */
class DockerfileTest {
    private final List<Stage> stages = DockerfileInstructions.stages();
    private final Stage build = stages.get(0);
    private final Stage runtime = stages.get(stages.size() - 1);

    /** The shaded jar's path in the checkout, from the app module's pom (the shade plugin's finalName). */
    static String shadedJar() {
        String pom = Checkout.text(Checkout.file("app/pom.xml"));
        Matcher shade = Pattern.compile("maven-shade-plugin.*?<finalName>([^<]+)</finalName>", Pattern.DOTALL).matcher(pom);
        assertTrue(shade.find(), "app/pom.xml: shade finalName");
        return "app/target/" + shade.group(1) + ".jar";
    }

    private static List<String> execForm(Instruction i) throws Exception {
        JsonNode array = new ObjectMapper().readTree(i.arguments());
        assertTrue(array.isArray(), i.keyword() + " in exec form (signals reach the JVM directly)");
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }

    private Map<String, String> runtimeEnv() {
        Map<String, String> env = new TreeMap<>();
        for (Instruction i : runtime.all("ENV")) {
            for (String pair : i.words()) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0], kv[1]);
            }
        }
        return env;
    }

    @Test
    void buildsOnAJdkAndRunsOnAJreBothJava17() {
        assertEquals(2, stages.size());
        assertEquals("eclipse-temurin:17-jdk", build.image());
        assertFalse(build.name().isEmpty(), "the build stage is named for COPY --from");
        assertEquals("eclipse-temurin:17-jre", runtime.image());
        String run = String.join(" ", build.all("RUN").stream().map(Instruction::arguments).toList());
        assertTrue(run.contains("./mvnw") && run.contains("-pl app -am") && run.contains("package"), run);
    }

    @Test
    void theBuildStageCanUnpackTheMavenZipTheWrappersChecksumIsFor() {
        String wrapper = Checkout.text(Checkout.file(".mvn/wrapper/maven-wrapper.properties"));
        if (wrapper.contains("distributionSha256Sum") && wrapper.contains(".zip")) {
            // Without unzip, mvnw fetches the .tar.gz instead, whose checksum differs: the build would fail.
            int install = -1;
            int maven = -1;
            List<Instruction> runs = build.all("RUN");
            for (int i = 0; i < runs.size(); i++) {
                String r = runs.get(i).arguments();
                if (r.contains("install") && r.contains("unzip")) {
                    install = i;
                }
                if (r.contains("./mvnw") && maven < 0) {
                    maven = i;
                }
            }
            assertTrue(install >= 0 && install < maven, "unzip installed before the wrapper runs");
        }
    }

    @Test
    void everyCopiedSourceExistsAndIsNotExcludedFromTheBuildContext() {
        List<PathMatcher> ignored = new ArrayList<>();
        for (String line : Checkout.text(Checkout.file(".dockerignore")).split("\n")) {
            String p = line.trim();
            if (!p.isEmpty() && !p.startsWith("#")) {
                ignored.add(FileSystems.getDefault().getPathMatcher("glob:" + (p.endsWith("/") ? p.substring(0, p.length() - 1) : p)));
            }
        }
        List<String> copied = new ArrayList<>();
        for (Stage stage : stages) {
            for (Instruction copy : stage.all("COPY")) {
                List<String> words = copy.words();
                if (words.get(0).startsWith("--from=")) {
                    continue;
                }
                for (String source : words.subList(0, words.size() - 1)) {
                    copied.add(source);
                    assertTrue(Files.exists(Checkout.root().resolve(source)), "COPY " + source + ": missing");
                    for (Path p = Path.of(source); p != null; p = p.getParent()) {
                        for (PathMatcher m : ignored) {
                            assertFalse(m.matches(p), "COPY " + source + " is excluded by .dockerignore");
                        }
                    }
                }
            }
        }
        // The reactor build needs every module's pom and sources, the wrapper and the parent pom.
        String parent = Checkout.text(Checkout.file("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
        List<String> needed = new ArrayList<>(List.of("mvnw", ".mvn", "pom.xml"));
        while (module.find()) {
            needed.add(module.group(1) + "/pom.xml");
            needed.add(module.group(1) + "/src");
        }
        assertTrue(copied.containsAll(needed), "copied " + copied + ", needed " + needed);
    }

    @Test
    void theRuntimeRunsTheShadedJarTheBuildProducesWithRunAsDefaultCommand() throws Exception {
        String jar = shadedJar();
        assertTrue(Checkout.text(Checkout.file("retention-pulse")).contains("$root/" + jar), "the launcher runs the same jar");
        String workdir = build.last("WORKDIR").arguments();
        Instruction copy = runtime.all("COPY").stream().filter(c -> c.arguments().startsWith("--from=" + build.name())).findFirst().orElseThrow();
        assertEquals(workdir + "/" + jar, copy.words().get(1), "copies the jar the build stage built");
        String installed = copy.words().get(2);

        List<String> entrypoint = execForm(runtime.last("ENTRYPOINT"));
        assertEquals("java", entrypoint.get(0));
        int jarFlag = entrypoint.indexOf("-jar");
        assertTrue(jarFlag > 0);
        assertEquals(installed, entrypoint.get(jarFlag + 1));
        assertTrue(entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")), "heap follows the container limit");

        List<String> cmd = execForm(runtime.last("CMD"));
        assertEquals(List.of("run"), cmd);
        assertEquals("run", RetentionPulse.commandLine().parseArgs(cmd.toArray(String[]::new)).subcommand().commandSpec().name());
    }

    @Test
    void exposesTheAppsHttpPortListensOnAllInterfacesAndChecksLiveness() {
        String port = SettingKeys.defaultOf(AppDefaults.HTTP_PORT);
        assertEquals(port, runtime.last("EXPOSE").arguments());
        Map<String, String> env = runtimeEnv();
        assertEquals("0.0.0.0", env.get(Settings.envName(AppDefaults.HTTP_BIND)));
        assertEquals(port, env.getOrDefault(Settings.envName(AppDefaults.HTTP_PORT), port));
        String healthcheck = runtime.last("HEALTHCHECK").arguments();
        assertTrue(healthcheck.contains("http://127.0.0.1:" + port + HealthRoutes.LIVE), healthcheck);
        // curl is not in every JRE base image: the runtime stage installs it for the healthcheck.
        assertTrue(runtime.all("RUN").stream().anyMatch(r -> r.arguments().contains("install") && r.arguments().contains("curl")));
    }

    @Test
    void runsAsANonRootUserWithTheStateDirectoryOnAVolume() throws Exception {
        String user = runtime.last("USER").arguments();
        assertFalse(user.equals("root") || user.startsWith("0"), "USER " + user);
        Map<String, String> env = runtimeEnv();
        env.keySet().stream().filter(k -> k.startsWith(Settings.ENV_PREFIX))
                .forEach(k -> assertTrue(SettingKeys.ofEnvironmentVariable(k).isPresent(), k + " sets no setting"));
        String stateDir = env.get(Settings.envName(AppDefaults.STATE_DIR));
        List<String> volumes = execForm(runtime.last("VOLUME"));
        assertTrue(volumes.stream().anyMatch(v -> stateDir.startsWith(v + "/")), stateDir + " on a VOLUME " + volumes);
        assertTrue(runtime.all("RUN").stream().anyMatch(r -> r.arguments().contains("chown") && r.arguments().contains(volumes.get(0))),
                "the volume's directory belongs to the app user");
    }
}
