"""Reading a config's YAML: safe types only; a key given twice is an error, not "the last wins"."""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError

__all__ = ["load_yaml"]


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that names the same key twice."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # '<<: *base' may be overridden
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen
                except TypeError:  # an unhashable key: PyYAML's own check reports it
                    continue
                if repeated:
                    raise ConstructorError(None, None, f"key {key!r} is given twice",
                                           key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str):
    r"""The YAML document in ``text`` (safe types only); a repeated key raises yaml.YAMLError.

    >>> load_yaml("client: Acme\nclv: {margin: 0.3}")
    {'client': 'Acme', 'clv': {'margin': 0.3}}
    >>> load_yaml("currency: ILS\ncurrency: USD")
    Traceback (most recent call last):
    ...
    yaml.constructor.ConstructorError: key 'currency' is given twice
      in "<unicode string>", line 2, column 1:
        currency: USD
        ^
    """
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
