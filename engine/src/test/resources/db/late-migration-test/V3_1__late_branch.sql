-- Test only (RecordsDatabaseFlywayTest): a migration numbered below V4 that arrives after V4 was applied.
CREATE TABLE late_branch_marker (id INT NOT NULL, PRIMARY KEY (id));
