"""Helpers the tests share, so that no test module imports another (or conftest):
`common` (paths, the in-process CLI, a copy of the sources with one warning), `samples`,
`voice_sample` and `big_project` (hand-built and generated projects), `zipsame` (are two
solution zips the same solution, by canonical XML)."""
