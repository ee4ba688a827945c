"""States asked for by tag: code never names a state, it asks ``tagged("application", "editable")``.

A domain declares what it asks for once, at import (``EDITABLE = tagged("application", "editable")``);
the start-up check (``fsi.workflow.init_app``) refuses a tag that the workflow's definition does
not declare, so renaming or retagging a state in workflows/ stops the start-up with the tag's
name instead of silently emptying a query.
"""
from fsi.workflow.definitions import DefinitionError, circuits

#: every (workflow, tag) some module asked for, checked at start-up
_ASKED = {}


class TaggedStates:
    """The states of ``workflow`` carrying ``tag``, read from the current definitions when used
    (every circuit of ``workflow``: application.yaml and application_fsi.yaml for applications).

    Iterable (``Application.state.in_(EDITABLE)``) and a container (``row.state in EDITABLE``).
    """

    def __init__(self, workflow, tag):
        self.workflow = workflow
        self.tag = tag

    @property
    def states(self):
        states = tuple(dict.fromkeys(state for workflow in circuits(self.workflow)
                                     for state in workflow.states_tagged(self.tag)))
        if not states:
            raise DefinitionError(undeclared(self.workflow, self.tag))
        return states

    def __iter__(self):
        return iter(self.states)

    def __contains__(self, state):
        return state in self.states

    def __repr__(self):
        return f"tagged({self.workflow!r}, {self.tag!r})"


def tagged(workflow, tag):
    """The states of ``workflow`` tagged ``tag`` (see the module docstring)."""
    key = (workflow, tag)
    if key not in _ASKED:
        _ASKED[key] = TaggedStates(workflow, tag)
    return _ASKED[key]


def undeclared(workflow, tag):
    return (f"{workflow}.yaml: no state carries the tag {tag!r}, which FSI's code asks for "
            f"(tag a state with `tags: [{tag}]`)")


def check_tags():
    """Raise DefinitionError for the first tag asked for that its workflow does not declare."""
    for (workflow, tag) in sorted(_ASKED):
        try:
            declared = frozenset().union(*(circuit.tags() for circuit in circuits(workflow)))
        except LookupError:
            raise DefinitionError(f"FSI's code asks for the tag {tag!r} of the workflow {workflow!r}, "
                                  f"which does not exist") from None
        if tag not in declared:
            raise DefinitionError(undeclared(workflow, tag))


def asked():
    """{(workflow, tag)} asked for so far (for `flask fsi workflow list` and the tests)."""
    return set(_ASKED)
