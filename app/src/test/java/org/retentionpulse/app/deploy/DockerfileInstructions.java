package org.retentionpulse.app.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The repository's {@code Dockerfile} as instructions grouped by build stage (comments dropped, continuations joined). */
final class DockerfileInstructions {
    static final String PATH = "Dockerfile";

    /** One instruction, e.g. {@code COPY} with arguments {@code --from=build /src/a.jar /opt/a.jar}. */
    record Instruction(String keyword, String arguments) {
        List<String> words() {
            return List.of(arguments.trim().split("\\s+"));
        }
    }

    /** A build stage: its base image, its name (or empty) and its instructions. */
    record Stage(String image, String name, List<Instruction> instructions) {
        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Instruction last(String keyword) {
            List<Instruction> found = all(keyword);
            if (found.isEmpty()) {
                throw new AssertionError("stage " + image + " has no " + keyword);
            }
            return found.get(found.size() - 1);
        }
    }

    private DockerfileInstructions() {
    }

    static List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Checkout.text(Checkout.file(PATH)).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String full = pending.toString().trim();
            pending.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            String[] kw = full.split("\\s+", 2);
            Instruction instruction = new Instruction(kw[0].toUpperCase(Locale.ROOT), kw.length > 1 ? kw[1] : "");
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : "";
                stages.add(new Stage(words.get(0), name, new ArrayList<>()));
            } else if (stages.isEmpty()) {
                throw new AssertionError("instruction before FROM: " + full);
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return stages;
    }
}
