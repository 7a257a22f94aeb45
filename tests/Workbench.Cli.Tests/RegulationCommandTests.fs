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
        test "the outside-money cards against outside-money-none: the outside limit and the foreign ban are obeyed, publicity alone is defied and detected" {
            Cli.withDir (fun dir ->
                let csv = Path.Combine(dir, "o.csv")
                let code, out, err = Cli.run [ "regulation"; "regulation-outside-limit"; "regulation-foreign-ban"; "regulation-publicity"; "--against"; "outside-money-none"
                                               "--voters"; "20000"; "--replicates"; "4"; "--out"; csv ]
                Expect.equal code 0 err
                Expect.stringContains out "Each card minus outside-money-none" "against the outside-money reference"
                let lines = File.ReadAllLines csv
                let col name = Array.findIndex ((=) name) (lines.[0].Split ',')
                let rows = lines |> Array.skip 1 |> Array.map (fun l -> l.Split ',')
                Expect.equal rows.Length 12 "3 cards × 2 parties × 2 systems"
                let red card = rows |> Array.find (fun r -> r.[0] = card && r.[3] = "FPTP" && r.[4] = "Red")
                Expect.equal (int (red "regulation-outside-limit").[col "violations"]) 0 "the third party keeps to its limit"
                Expect.equal (int (red "regulation-foreign-ban").[col "violations"]) 0 "the foreign advertiser stays away"
                let pub = red "regulation-publicity"
                Expect.equal (int pub.[col "violations"]) 4 "publicity alone at oversight 0.5 does not deter the foreign advertiser"
                Expect.isGreaterThan (int pub.[col "detected"]) 0 "some violations are detected"
                Expect.equal (float pub.[col "fines"]) 0.0 "no fines: publicity is the only sanction"
                for card in [ "regulation-outside-limit"; "regulation-foreign-ban" ] do
                    Expect.isLessThan (float (red card).[col "share_high"]) 0.0 (sprintf "%s lowers Red's share against no rule (interval below 0)" card))
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
