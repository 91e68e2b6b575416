"""Errors a user can act on: each names the file and the problem in one line."""

from __future__ import annotations

from dataclasses import dataclass


class PolicyGraphError(Exception):
    """An error the CLI reports as one clear line, never as a traceback."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input file; the build goes on without it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InputError(PolicyGraphError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
