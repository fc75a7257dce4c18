package io.learnflow.pgk8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.learnflow.pgk8s.testing.Tokens;

/** SKILL.md, the agent-facing page: its frontmatter, one line per command, and at most 140 cl100k_base tokens. */
class SkillTest {
    static final int SKILL_LIMIT = 140;
    private static final Path SKILL = Path.of("SKILL.md");

    @Test
    @DisplayName("SKILL.md is at most 140 cl100k_base tokens")
    void fitsTheBudget() throws IOException {
        String text = Files.readString(SKILL, StandardCharsets.UTF_8);
        int tokens = Tokens.count(text);
        System.out.printf("SKILL.md: %d cl100k_base tokens (limit %d)%n", tokens, SKILL_LIMIT);
        assertThat(tokens).as("SKILL.md has %d tokens, over %d", tokens, SKILL_LIMIT).isLessThanOrEqualTo(SKILL_LIMIT);
    }

    @Test
    @DisplayName("frontmatter names the skill and describes it; each command has its line")
    void frontmatterAndCommands() throws IOException {
        List<String> lines = Files.readAllLines(SKILL, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("---");
        assertThat(lines.get(1)).isEqualTo("name: postgres-k8s-setup");
        assertThat(lines.get(2)).startsWith("description: ").hasSizeGreaterThan("description: ".length() + 20);
        assertThat(lines.get(3)).isEqualTo("---");
        for (String command : List.of("deploy", "migrate", "verify", "wait", "connection", "local")) {
            assertThat(lines).as("a line for %s", command).filteredOn(l -> l.startsWith("- `pgk8s " + command))
                    .hasSize(1);
        }
    }
}
