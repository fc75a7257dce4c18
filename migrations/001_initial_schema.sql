-- LearnFlow schema (spec 4.3). Idempotent: safe on a database that already has some of it.

CREATE TABLE IF NOT EXISTS users (
    user_id SERIAL PRIMARY KEY,
    username VARCHAR(100) UNIQUE NOT NULL,
    email VARCHAR(255) UNIQUE NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS learning_progress (
    progress_id SERIAL PRIMARY KEY,
    user_id INTEGER REFERENCES users(user_id),
    concept_name VARCHAR(200) NOT NULL,
    completion_percentage INTEGER DEFAULT 0,
    last_accessed TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    total_time_seconds INTEGER DEFAULT 0
);

CREATE TABLE IF NOT EXISTS struggles (
    struggle_id SERIAL PRIMARY KEY,
    user_id INTEGER REFERENCES users(user_id),
    concept_name VARCHAR(200) NOT NULL,
    error_type VARCHAR(100),
    struggle_count INTEGER DEFAULT 1,
    first_occurred TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    last_occurred TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS exercises (
    exercise_id SERIAL PRIMARY KEY,
    concept_name VARCHAR(200) NOT NULL,
    difficulty_level INTEGER DEFAULT 1,
    problem_description TEXT NOT NULL,
    solution_code TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS code_executions (
    execution_id SERIAL PRIMARY KEY,
    user_id INTEGER REFERENCES users(user_id),
    exercise_id INTEGER REFERENCES exercises(exercise_id),
    submitted_code TEXT NOT NULL,
    execution_result TEXT,
    passed BOOLEAN DEFAULT FALSE,
    executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX IF NOT EXISTS idx_progress_user ON learning_progress(user_id);
CREATE INDEX IF NOT EXISTS idx_struggles_user ON struggles(user_id);
CREATE INDEX IF NOT EXISTS idx_executions_user ON code_executions(user_id);
