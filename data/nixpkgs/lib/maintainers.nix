# Made-up maintainers: the fixture needs the shape, not real people.
{
  fixture-alice = {
    name = "Alice Fixture";
    email = "alice@fixture.invalid";
    github = "fixture-alice";
    githubId = 10000001;
  };
  fixture-bob = {
    name = "Bob Fixture";
    email = "bob@fixture.invalid";
    github = "fixture-bob";
    githubId = 10000002;
  };
  fixture-carol = {
    name = "Carol Fixture";
    email = "carol@fixture.invalid";
    github = "fixture-carol";
    githubId = 10000003;
  };
}
