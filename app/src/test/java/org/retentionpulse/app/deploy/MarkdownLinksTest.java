package org.retentionpulse.app.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in every Markdown file of the repository resolves inside the repository: the target file
 * or directory exists (a clone has nothing outside it), and a {@code #fragment} into a Markdown file names one of
 * its headings (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens). Links in code blocks and
 * code spans are text, not links.
 */
class MarkdownLinksTest {
    /** {@code [text](target)} and {@code ![alt](target)}; the target ends at whitespace (a title may follow) or ')'. */
    private static final Pattern INLINE = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [label]: target} reference definitions. */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeMarkdownLinkResolvesInsideTheRepository() {
        Path root = Checkout.root().toAbsolutePath().normalize();
        List<Path> files = markdownFiles(root);
        assertTrue(files.contains(root.resolve("README.md")) && files.contains(root.resolve("docs/METRICS.md")),
                "README.md and docs/METRICS.md are among the files checked: " + files);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            for (Link link : links(file)) {
                checked++;
                String problem = problem(root, file, link.target());
                if (problem != null) {
                    broken.add(root.relativize(file) + ":" + link.line() + ": (" + link.target() + ") " + problem);
                }
            }
        }
        assertTrue(checked > 10, "found only " + checked + " relative links: the parser misses them");
        assertEquals(List.of(), broken, "relative Markdown links that do not resolve inside the repository");
    }

    @Test
    void aLinkOutOfTheRepositoryOrToAMissingHeadingIsReported() {
        Path root = Checkout.root().toAbsolutePath().normalize();
        Path readme = root.resolve("README.md");
        assertTrue(problem(root, readme, "../shared/spec/metrics.md") != null, "a link out of the checkout");
        assertTrue(problem(root, readme, "docs/NOPE.md") != null, "a missing file");
        assertTrue(problem(root, readme, "docs/RELIABILITY.md#no-such-heading") != null, "a missing heading");
        assertEquals(null, problem(root, readme, "docs/RELIABILITY.md#processing-guarantee"));
        assertEquals(null, problem(root, readme, "docs/examples/"));
    }

    record Link(int line, String target) {
    }

    private static List<Path> markdownFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relative links of a file (absolute URLs, mail and pure in-page anchors are other checks' business). */
    static List<Link> links(Path file) {
        List<Link> out = new ArrayList<>();
        boolean fenced = false;
        List<String> lines = Checkout.text(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String text = line.replaceAll("`[^`]*`", "``");
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
            Matcher r = REFERENCE.matcher(text);
            if (r.matches()) {
                targets.add(r.group(1));
            }
            for (String target : targets) {
                if (!SCHEME.matcher(target).find() && !target.startsWith("#") && !target.startsWith("//")) {
                    out.add(new Link(i + 1, target));
                }
            }
        }
        return out;
    }

    /** Why a relative link from {@code from} does not resolve, or null when it does. */
    static String problem(Path root, Path from, String target) {
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = (pathPart.startsWith("/") ? root.resolve(pathPart.substring(1)) : from.getParent().resolve(pathPart)).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file: " + root.relativize(resolved);
        }
        if (fragment != null && !fragment.isEmpty() && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(fragment.toLowerCase(Locale.ROOT))) {
            return "no heading with anchor #" + fragment + " in " + root.relativize(resolved);
        }
        return null;
    }

    /** GitHub's heading anchors of a Markdown file, with -1, -2 ... for repeated headings. */
    private static Set<String> anchors(Path file) {
        Set<String> out = new HashSet<>();
        boolean fenced = false;
        for (String line : Checkout.text(file).lines().toList()) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String slug = m.group(1).toLowerCase(Locale.ROOT)
                        .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                        .replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-');
                String unique = slug;
                for (int n = 1; !out.add(unique); n++) {
                    unique = slug + "-" + n;
                }
            }
        }
        return out;
    }
}
