package io.learnflow.pgk8s.cli.options;

/** -o text (terse, for people and agents) or -o json (for programs). */
public enum OutputFormat {
    TEXT, JSON
}
