/// `workbench suppression`: seats lost with intervals, flip probabilities beside pivotality, the groups that lose most.
module Workbench.Cli.Tests.SuppressionCommandTests

open System.IO
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.suppression" [
        test "the built-in scenario: seats lost with intervals, flips beside pivotality, groups; the CSV holds every figure" {
            Cli.withDir (fun dir ->
                let csv = Path.Combine(dir, "s.csv")
                let code, out, err = Cli.run [ "suppression"; "suppression"; "--arm"; "suppress-for-fptp"; "--victim"; "Red"; "--voters"; "20000"; "--replicates"; "2"; "--draws"; "40"; "--top"; "5"; "--out"; csv ]
                Expect.equal code 0 err
                Expect.stringContains err "suppression: running suppression (2 replicates of 20,000 voters), then 40 election-day draws" "progress"
                Expect.stringContains out "Seats lost by Red (baseline minus arm on the same election-day draws)" "seats lost"
                Expect.stringContains out "over 2 replicate(s)" "over replicates"
                Expect.stringContains out "over 40 draw(s) of replicate 0" "over draws"
                Expect.stringContains out "pivotality" "pivotality beside the flips"
                Expect.stringContains out "Groups whose turnout fell most" "groups"
                let lines = File.ReadAllLines csv
                Expect.equal lines.[0] "scenario,arm,victim,evidence,replicate,measure,system,dimension,group,constituency,over,n,mean,low,high,expected,margin,pivotality,risk_index,victim_loss_probability,victim_gain_probability" "CSV header"
                let rows = lines |> Array.skip 1 |> Array.map (fun l -> l.Split ',')
                let count m = rows |> Array.filter (fun r -> r.[5] = m) |> Array.length
                Expect.equal (count "seats_lost") 4 "2 systems × (replicates, draws)"
                Expect.equal (count "flip_probability") 650 "every constituency of westminster-like"
                Expect.isGreaterThan (count "turnout_change_points") 20 "every group"
                for r in rows |> Array.filter (fun r -> r.[5] = "flip_probability") do
                    let p = float r.[12]
                    Expect.isTrue (p >= 0.0 && p <= 1.0) "a probability"
                    Expect.isTrue (float r.[13] <= p && p <= float r.[14]) "inside its interval")
        }
        test "under the pessimistic preset nothing is lost" {
            let code, out, err = Cli.run [ "suppression"; "suppression"; "--arm"; "suppress-for-fptp"; "--victim"; "Red"; "--voters"; "10000"; "--replicates"; "2"; "--draws"; "10"; "--evidence"; "pessimistic" ]
            Expect.equal code 0 err
            Expect.stringContains out "evidence pessimistic (demobilisation 0 per person treated)" "the preset"
            Expect.stringContains out "FPTP         0.00                         0.000" "no FPTP seat lost"
        }
        test "bad input exits 2 naming the flag, nothing written" {
            Cli.withDir (fun dir ->
                let csv = Path.Combine(dir, "s.csv")
                for args, expected in
                    [ [ "--arm"; "suppress-for-fptp"; "--victim"; "Mauve" ], "--victim: 'Mauve'"
                      [ "--arm"; "nope"; "--victim"; "Red" ], "--arm: no arm named 'nope'"
                      [ "--arm"; "suppress-for-fptp"; "--victim"; "Red"; "--draws"; "0" ], "--draws must be between 1"
                      [ "--arm"; "suppress-for-fptp"; "--victim"; "Red"; "--replicate"; "4" ], "--replicate must be between 0 and 3" ] do
                    let code, _, err = Cli.run ([ "suppression"; "suppression" ] @ args @ [ "--out"; csv ])
                    Expect.equal code 2 (sprintf "%s: %s" expected err)
                    Expect.stringContains err expected "names the flag"
                    Cli.noTrace err expected
                    Expect.isFalse (File.Exists csv) "nothing written"
                let code, _, err = Cli.run [ "suppression"; "suppression"; "--victim"; "Red" ]
                Expect.equal code 2 err
                Expect.stringContains err "--arm" "a required flag")
        }
    ]
