"""The management command of an import on the framework: `import_persons`' options
(`--user`, `--rejected`), progress bar and report, with the rows of `importer`."""

from pathlib import Path

from canlian.importing import Importer
from registry.imports import ImportResult
from registry.management.commands.import_persons import Command as PersonImportCommand


class ImporterCommand(PersonImportCommand):
    """Subclass as `Command` with `importer = SomeImporter` and a `help` in Chinese."""

    importer: type[Importer]

    def run_import(self, *, user, path: Path, progress) -> ImportResult:
        return self.importer(user=user, source_name=path.name).run(path, progress)
