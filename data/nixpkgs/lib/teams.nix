# Made-up teams of made-up maintainers (lib.teams.NAME.members), the shape
# meta.teams has in nixpkgs.
{ maintainers }:
{
  fixture-python = {
    shortName = "Fixture Python";
    scope = "Maintain the Python packages of the fixture.";
    members = [
      maintainers.fixture-alice
      maintainers.fixture-carol
    ];
    githubTeams = [ "fixture-python" ];
  };
  fixture-rust = {
    shortName = "Fixture Rust";
    scope = "Maintain the Rust tooling of the fixture.";
    members = [ maintainers.fixture-bob ];
    githubTeams = [ "fixture-rust" ];
  };
}
