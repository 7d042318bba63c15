"""Output formats shared by every command: SARIF, JUnit, Markdown, and the CI-native
annotations and step summaries of GitHub Actions and Azure DevOps. Pure functions from
diagnostics or a command's report dict to text; the CLI (`builder.cli.output`) prints them."""
