"""The base of every model of the reading path (Context, Period, Quantity, Target, Progress …): pydantic's
BaseModel, or, in a command-line process that only prints a reading, plain classes of the same shape.

Why: importing pydantic and building the model classes is about two thirds of the start of
`python -m perfnlp "<sentence>"`, whose text output needs none of pydantic's validation or serialization.
The command line (and only it: `cli.main()` reading the real argv, in a process where no model has been
made yet) calls `use_plain_models()` before it imports the readers; every model class made after that is a
`PlainModel`. Everywhere else, and always for the public API, the names below are pydantic's own, so that
every model the library returns is a pydantic model (.model_dump, JSON schema, validation).

What a PlainModel does, as pydantic does for the models of this package: keyword construction with class
defaults (mutable defaults copied), the field and model validators of text/context.py, the coercions the
readers rely on (a number to float or Decimal, a tuple to list), frozen instances that compare and hash by
value, model_copy(update=…), model_construct, model_fields, model_fields_set and a pydantic-like repr.
It does not validate types otherwise and has no model_dump: the command line asks for JSON through
pydantic (a process that prints JSON never turns plain models on). tests/test_plain_models.py holds the
command's output in both kinds to be identical on every seed sentence.
"""
from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, Callable

_NAMES = ("BaseModel", "ConfigDict", "ValidationError", "field_validator", "model_validator")
_plain = False    # use_plain_models() was called before any model class was made
_made = False     # a name of this module was handed out (some model class may exist already)


def use_plain_models() -> bool:
    """Make the model classes defined from now on plain classes; True when that took effect (no model
    class existed yet in this process). For a process that prints a reading as text and then ends."""
    global _plain
    if _made or "pydantic" in sys.modules:
        return _plain
    _plain = True
    return True


def plain_models_in_use() -> bool:
    return _plain


def __getattr__(name: str) -> Any:
    global _made
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _made = True
    if _plain:
        value = _PLAIN[name]
    else:
        import pydantic

        value = getattr(pydantic, name)
    globals()[name] = value
    return value


def copied(instance: Any, update: dict[str, Any]) -> Any:
    """`instance.model_copy(update=update)` for a model with no extra fields and no private attributes (every
    model of this package), without its per-call Python work: a model copied for every row assessed. Shallow,
    as model_copy is: a new instance dict with `update` over it, the set of fields set grown by its keys."""
    # a plain model is told by its class (an instance lookup of a missing name runs pydantic's __getattr__)
    if isinstance(instance, PlainModel) or instance.__pydantic_extra__ is not None \
            or instance.__pydantic_private__ is not None:
        return instance.model_copy(update=update)
    return built(type(instance), {**instance.__dict__, **update}, instance.__pydantic_fields_set__ | update.keys())


def built(cls: type, values: dict[str, Any], fields_set: set[str]) -> Any:
    """A pydantic model of class `cls` with these field values and this set of fields set, made without
    validation and with no extra fields or private attributes: what copied() makes, and what
    reports/batch.py rebuilds from a worker's compact pickle."""
    new = _new(cls)
    _setattr(new, "__dict__", values)
    _setattr(new, "__pydantic_extra__", None)
    _setattr(new, "__pydantic_fields_set__", fields_set)
    _setattr(new, "__pydantic_private__", None)
    return new


_new = object.__new__
_setattr = object.__setattr__


# ---------------------------------------------------------------------------------------------------------
# plain models

class PlainValidationError(ValueError):
    """What a validator's ValueError becomes, as pydantic's ValidationError is a ValueError."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def errors(self, include_url: bool = True) -> list[dict[str, Any]]:
        """As pydantic's: the reason as "Value error, …" and where (the field; () for the whole model)."""
        return [{"type": "value_error", "loc": (self.field,) if self.field else (),
                 "msg": f"Value error, {self.args[0]}"}]


def plain_config_dict(**settings: Any) -> dict[str, Any]:
    return dict(settings)


def plain_field_validator(*fields: str, mode: str = "after") -> Callable[[Any], Any]:
    def mark(function: Any) -> Any:
        target = function.__func__ if isinstance(function, classmethod) else function
        target.__plain_field_validator__ = (fields, mode)
        return function
    return mark


def plain_model_validator(*, mode: str = "after") -> Callable[[Any], Any]:
    def mark(function: Any) -> Any:
        function.__plain_model_validator__ = mode
        return function
    return mark


_MISSING = object()


def _coercion(annotation: Any) -> Callable[[Any], Any] | None:
    """The conversion pydantic makes for the annotations the readers give other types to (a string, as
    every model module uses `from __future__ import annotations`)."""
    words = str(annotation).replace(" ", "").split("|")
    if "float" in words:
        return lambda v: float(v) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else v
    if "Decimal" in words:
        return lambda v: v if isinstance(v, (Decimal, bool)) or not isinstance(v, (int, float)) else \
            Decimal(v) if isinstance(v, int) else Decimal(str(v))
    if any(w.startswith("list[") for w in words):
        return lambda v: list(v) if isinstance(v, tuple) else v
    return None


class PlainModel:
    """A model class without pydantic: see the module's docstring for what it does and does not do."""

    __slots__ = ("__dict__", "__plain_fields_set__")

    model_config: dict[str, Any] = {}
    __plain_fields__: dict[str, Any] = {}          # name → default (_MISSING: required)
    __plain_coerce__: dict[str, Callable[[Any], Any]] = {}
    __plain_before__: dict[str, list[Any]] = {}
    __plain_after__: dict[str, list[Any]] = {}
    __plain_model_after__: list[Any] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, Any] = {}
        coerce: dict[str, Callable[[Any], Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, annotation in vars(klass).get("__annotations__", {}).items():
                if name.startswith("_") or name == "model_config" or "ClassVar" in str(annotation):
                    continue
                fields[name] = vars(klass).get(name, fields.get(name, _MISSING))
                conversion = _coercion(annotation)
                if conversion is not None:
                    coerce[name] = conversion
                else:
                    coerce.pop(name, None)
        before: dict[str, list[Any]] = {}
        after: dict[str, list[Any]] = {}
        model_after: list[Any] = []
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                function = attribute.__func__ if isinstance(attribute, classmethod) else attribute
                marked = getattr(function, "__plain_field_validator__", None)
                if marked is not None:
                    names, mode = marked
                    for name in names:
                        (before if mode == "before" else after).setdefault(name, []).append(function)
                if getattr(function, "__plain_model_validator__", None) == "after":
                    model_after.append(function)
        cls.__plain_fields__, cls.__plain_coerce__ = fields, coerce
        cls.__plain_before__, cls.__plain_after__, cls.__plain_model_after__ = before, after, model_after

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        values: dict[str, Any] = {}
        given: set[str] = set()
        for name, default in cls.__plain_fields__.items():
            if name in data:
                value = data[name]
                given.add(name)
                for check in cls.__plain_before__.get(name, ()):
                    value = _validated(check, cls, name, value)
                conversion = cls.__plain_coerce__.get(name)
                if conversion is not None:
                    value = conversion(value)
                for check in cls.__plain_after__.get(name, ()):
                    value = _validated(check, cls, name, value)
            elif default is _MISSING:
                raise PlainValidationError(f"{cls.__name__}: {name} is required", name)
            else:
                value = default.copy() if isinstance(default, (list, dict, set)) else default
            values[name] = value
        object.__setattr__(self, "__dict__", values)
        object.__setattr__(self, "__plain_fields_set__", given)
        for check in cls.__plain_model_after__:
            try:
                check(self)
            except ValueError as e:
                raise PlainValidationError(str(e)) from e

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Any:
        instance = object.__new__(cls)
        full = {name: (values[name] if name in values else
                       default.copy() if isinstance(default, (list, dict, set)) else default)
                for name, default in cls.__plain_fields__.items() if name in values or default is not _MISSING}
        object.__setattr__(instance, "__dict__", full)
        object.__setattr__(instance, "__plain_fields_set__", set(values) if _fields_set is None else _fields_set)
        return instance

    @property
    def model_fields_set(self) -> set[str]:
        return self.__plain_fields_set__  # type: ignore[attr-defined]

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        if deep:
            import copy

            return copy.deepcopy(self).model_copy(update=update)
        instance = object.__new__(type(self))
        values = dict(self.__dict__)
        fields_set = set(self.__plain_fields_set__)  # type: ignore[attr-defined]
        if update:
            values.update(update)
            fields_set.update(update)
        object.__setattr__(instance, "__dict__", values)
        object.__setattr__(instance, "__plain_fields_set__", fields_set)
        return instance

    def __setattr__(self, name: str, value: Any) -> None:
        if type(self).model_config.get("frozen"):
            raise PlainValidationError(f"{type(self).__name__} is frozen: {name} cannot be set")
        object.__setattr__(self, name, value)
        if name in type(self).__plain_fields__:
            self.__plain_fields_set__.add(name)  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        if not type(self).model_config.get("frozen"):
            raise TypeError(f"unhashable type: {type(self).__name__!r}")
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({inner})"

    @classmethod
    def __get_pydantic_core_schema__(cls, *args: Any) -> Any:
        raise TypeError(f"{cls.__name__} is a plain model (perfnlp.text.model): use_plain_models() was called "
                        "in a process that goes on to make pydantic models of it")

    def __copy__(self) -> Any:
        return self.model_copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        import copy

        instance = object.__new__(type(self))
        object.__setattr__(instance, "__dict__", copy.deepcopy(self.__dict__, memo))
        object.__setattr__(instance, "__plain_fields_set__", set(self.__plain_fields_set__))  # type: ignore[attr-defined]
        return instance


class _FieldsOfClass:
    """`Model.model_fields` (and on an instance) as pydantic has it: the field names, here with defaults."""

    def __get__(self, instance: Any, owner: type[PlainModel]) -> dict[str, Any]:
        return dict(owner.__plain_fields__)


PlainModel.model_fields = _FieldsOfClass()  # type: ignore[assignment,misc]


def _validated(check: Any, cls: type, name: str, value: Any) -> Any:
    try:
        return check(cls, value)
    except ValueError as e:
        raise PlainValidationError(str(e), name) from e


_PLAIN: dict[str, Any] = {
    "BaseModel": PlainModel, "ConfigDict": plain_config_dict, "ValidationError": PlainValidationError,
    "field_validator": plain_field_validator, "model_validator": plain_model_validator,
}
