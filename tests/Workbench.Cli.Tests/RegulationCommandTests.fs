/// `workbench regulation`: regulation cards against a reference card, paired by replicate, with intervals.
module Workbench.Cli.Tests.RegulationCommandTests

open System.IO
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.regulation" [
        test "cards are compared with regulation-none: a deterring regulator leaves no violations, a weak one is defied; the CSV holds every row" {
            Cli.withDir (fun dir ->
                let csv = Path.Combine(dir, "r.csv")
                let code, out, err = Cli.run [ "regulation"; "regulation-spending-cap"; "regulation-deterrence"; "--voters"; "10000"; "--replicates"; "2"; "--out"; csv ]
                Expect.equal code 0 err
                Expect.stringContains out "Each card minus regulation-none, paired by replicate" "the header says what is compared"
                Expect.stringContains out "regulation-deterrence" "a block per card"
                Expect.stringContains err "regulation: running regulation-none" "progress names each card"
                let lines = File.ReadAllLines csv
                Expect.stringStarts lines.[0] "card,against,arm,system,party,replicates,seats_diff,seats_low,seats_high" "CSV header"
                let rows = lines |> Array.skip 1 |> Array.map (fun l -> l.Split ',')
                Expect.equal rows.Length 8 "2 cards × 2 parties × 2 systems"
                let col name = Array.findIndex ((=) name) (lines.[0].Split ',')
                let violations card = rows |> Array.filter (fun r -> r.[0] = card) |> Array.sumBy (fun r -> int r.[col "violations"])
                Expect.equal (violations "regulation-deterrence") 0 "deterred: no violations"
                Expect.isGreaterThan (violations "regulation-spending-cap") 0 "defied: money routed abroad"
                for r in rows do Expect.equal r.[1] "regulation-none" "against the reference"
                for r in rows do Expect.isLessThanOrEqual (float r.[col "seats_low"]) (float r.[col "seats_diff"]) "interval holds the mean")
        }
        test "cards on other electorates cannot be paired: exit 2 naming them, nothing written" {
            Cli.withDir (fun dir ->
                let csv = Path.Combine(dir, "r.csv")
                let code, _, err = Cli.run [ "regulation"; "classroom"; "--out"; csv ]
                Expect.equal code 2 err
                Expect.stringContains err "CARD: " "names the argument"
                Expect.stringContains err "--voters, --seed and --replicates" "says how to align them"
                Expect.isFalse (File.Exists csv) "nothing written")
        }
    ]
