import pytest


@pytest.fixture(autouse=True)
def _schemathesis_reads_the_old_node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 renames the running test through `node._nodeid`, which pytest 9.2
    replaced by `node._id`; give it the attribute to read (it only labels the subtests)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
