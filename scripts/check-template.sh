#!/usr/bin/env bash
# Proves the module template (templates/module, docs/adr/0037) on a scratch copy of the working tree: installs it,
# creates a module with it, adds the one catalog line, builds, writes the new module's contract snapshot and
# docs/modules.md (the tests that keep them, accepting), then runs every architecture test and the new module's own tests.
# Needs MODULAR_TEST_POSTGRES or a Docker engine for the module's tests, as scripts/test.sh provides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

name="${1:-Parcels}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/modular-template.XXXXXX")"
[[ "${MODULAR_KEEP_SCRATCH:-0}" == 1 ]] || trap 'rm -rf "$scratch"' EXIT
repo="$scratch/repo"
mkdir -p "$repo"

step() { echo "check-template: $*"; }
fail() { echo "check-template: error: $*" >&2; exit 1; }

step "copying the working tree to $repo"
git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$repo"
cd "$repo"

# A hive of its own: the check neither reads nor changes the templates the user installed.
hive="$scratch/hive"
step "dotnet new install ./templates/module"
dotnet new install ./templates/module --debug:custom-hive "$hive" >/dev/null
step "dotnet new modular-module -n $name"
dotnet new modular-module -n "$name" --debug:custom-hive "$hive"

for project in "src/Modules/$name/Modular.Modules.$name/Modular.Modules.$name.csproj" \
               "src/Modules/$name/Modular.Modules.$name.Contracts/Modular.Modules.$name.Contracts.csproj" \
               "tests/Modules/$name/Modular.Modules.$name.Tests/Modular.Modules.$name.Tests.csproj"; do
  [[ -f "$project" ]] || fail "the template did not create $project"
  dotnet sln Modular.sln list | tr '\\' '/' | grep -qxF "$project" || fail "the template did not add $project to Modular.sln"
done
grep -q "\"/${name,,}/items\"" "src/Modules/$name/Modular.Modules.$name/Items/AddItem.cs" || fail "the route does not carry the module's lower-case name"

step "adding the catalog line"
catalog=src/Host/Modular.Host/ModuleCatalog.cs
sed -i "s|^\(\s*\)new PaymentsModule(),|&\n\1new Modular.Modules.$name.${name}Module(),|" "$catalog"
grep -q "${name}Module()" "$catalog" || fail "could not add the catalog line to $catalog"

step "building"
dotnet build tests/Modular.ArchitectureTests -c Debug -v quiet -nologo >/dev/null || { dotnet build tests/Modular.ArchitectureTests -c Debug -nologo | tail -30; fail "the build failed"; }
dotnet build "tests/Modules/$name/Modular.Modules.$name.Tests" -c Debug -v quiet -nologo >/dev/null || fail "the module's test project does not build"

step "the new module's contract snapshot and docs, written by the tests that keep them"
MODULAR_ACCEPT_DOCS=1 dotnet test tests/Modular.ArchitectureTests --no-build -nologo -v quiet \
  --filter "FullyQualifiedName~ContractCompatibilityTests|FullyQualifiedName~ModuleDocumentationTests" || fail "the snapshot and docs tests fail over the new module"
[[ -f "docs/contracts/$name.txt" ]] || fail "no contract snapshot docs/contracts/$name.txt was written"
grep -q "Modular.Modules.$name.Contracts.ItemAdded" "docs/contracts/$name.txt" || fail "the snapshot misses the module's ItemAdded"
grep -q "^## $name" docs/modules.md || fail "docs/modules.md does not list $name"
step "every architecture test, as committed"
dotnet test tests/Modular.ArchitectureTests --no-build -nologo -v quiet || fail "the architecture tests fail over the new module"

step "the new module's tests"
dotnet test "tests/Modules/$name/Modular.Modules.$name.Tests" --no-build -nologo -v quiet || fail "the new module's tests fail"
step "passed: a module made from the template builds, keeps every architecture rule and passes its tests"
