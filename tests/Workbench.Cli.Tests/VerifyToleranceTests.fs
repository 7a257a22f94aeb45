/// `workbench verify --tolerance REL`: reruns on another machine or SDK — drift within the tolerance is listed and passes,
/// a wrong figure fails.
module Workbench.Cli.Tests.VerifyToleranceTests

open System
open System.Globalization
open System.IO
open Expecto
open Workbench.Cli.Tests

/// Rewrites one cell of results.csv (first data row, the named column) with f applied to its value.
let private perturb (dir: string) (column: string) (f: float -> float) =
    let path = Path.Combine(dir, "results.csv")
    let lines = File.ReadAllLines path
    let header = lines.[0].Split ','
    let c = Array.findIndex ((=) column) header
    let cells = lines.[1].Split ','
    let v = Double.Parse(cells.[c], CultureInfo.InvariantCulture)
    cells.[c] <- (f v).ToString("R", CultureInfo.InvariantCulture)
    lines.[1] <- String.Join(",", cells)
    File.WriteAllText(path, String.Join("\n", lines) + "\n")
    v, f v

[<Tests>]
let tests =
    testList "Cli.verify.tolerance" [
        test "a perturbed rerun is drift within the tolerance (exit 0) and a failure without one (exit 1); a wrong figure fails either way" {
            Cli.withDir (fun dir ->
                let run = Path.Combine(dir, "run")
                let code, _, err = Cli.run [ "simulate"; "classroom"; "--voters"; "2000"; "--replicates"; "1"; "--out"; run ]
                Expect.equal code 0 err
                let before, after = perturb run "share" (fun v -> v * (1.0 + 1e-9))
                Expect.notEqual before after "the recorded share now differs from what the rerun gives"
                let code, out, err = Cli.run [ "verify"; run; "--tolerance"; "1e-6" ]
                Expect.equal code 0 (out + err)
                Expect.stringContains out "verified within tolerance 1E-06: 1 of" "says drift was found"
                Expect.stringContains out "drift: results.csv row 1" "lists the drifting figure"
                let code, out, _ = Cli.run [ "verify"; run ]
                Expect.equal code 1 "byte-exact by default: the drift is a difference"
                Expect.stringContains out "DIFFERENT: 1 of" "one figure"
                perturb run "seats" (fun v -> v + 1.0) |> ignore
                let code, out, _ = Cli.run [ "verify"; run; "--tolerance"; "1e-6" ]
                Expect.equal code 1 "a wrong seat count fails within any small tolerance"
                Expect.stringContains out "beyond the tolerance (1 more drift within it)" "failure and drift told apart"
                Expect.stringContains out "seats: recorded" "names the failing figure")
        }
        test "a tolerance outside [0, 1) is refused with exit 2" {
            Cli.withDir (fun dir ->
                let code, _, err = Cli.run [ "verify"; dir; "--tolerance"; "2" ]
                Expect.equal code 2 err
                Expect.stringContains err "--tolerance" "names the flag")
        }
    ]
