def test_commands_exist(tracker, team, cli):
    result = cli("training", "courses")
    assert result.exit_code == 0, result.output
    print(result.stdout)
    result = cli("training", "sync")
    assert result.exit_code == 0, result.output
    print(result.stdout)
    result = cli("training", "matrix")
    print(result.output)
    result = cli("training", "status")
    print(result.output)
