module Workbench.Cli.Tests.MessagesCommandTests

open System.Text.Json
open Expecto

let private args extra =
    let replicates = if List.contains "--replicates" extra then [] else [ "--replicates"; "6" ]
    [ "messages"; "--preset"; "classroom"; "--voters"; "5000"; "--seed"; "1"; "--impressions"; "10000" ] @ replicates @ extra

[<Tests>]
let tests =
    testList "Cli.Messages" [
        test "messages --target-on prints the single message, each attribute, the pair and the oracle with intervals, the same for any thread count" {
            let code, out, err = Cli.run (args [ "--target-on"; "age,education"; "--heterogeneity"; "2.5"; "--threads"; "1" ])
            Expect.equal code 0 err
            use doc = JsonDocument.Parse out
            let rules = doc.RootElement.GetProperty("rules")
            let names = [ for r in rules.EnumerateArray() -> r.GetProperty("rule").GetString() ]
            Expect.equal names [ "single message"; "age"; "education"; "age+education"; "oracle (age+education)" ] "rules in order"
            let age = rules.[1]
            Expect.equal (age.GetProperty("cells").GetInt32()) 6 "six age bands"
            let p = age.GetProperty("premiumPercent")
            Expect.isLessThanOrEqual (p.GetProperty("low").GetDouble()) (p.GetProperty("mean").GetDouble()) "an interval"
            Expect.isGreaterThan (p.GetProperty("mean").GetDouble()) 0.0 "targeting on age beats the single message at this heterogeneity"
            let code2, out2, err2 = Cli.run (args [ "--target-on"; "age,education"; "--heterogeneity"; "2.5"; "--threads"; "2" ])
            Expect.equal code2 0 err2
            Expect.equal out2 out "thread count does not change the output"
            let code3, text, err3 = Cli.run (args [ "--target-on"; "age"; "--text" ])
            Expect.equal code3 0 err3
            Expect.stringContains text "premium % (95% CI)" "a table"
        }
        for (name, extra, expected) in
            [ "unknown attribute", [ "--target-on"; "shoe_size" ], "--target-on"
              "attribute twice", [ "--target-on"; "age,age" ], "--target-on"
              "banned under the regime", [ "--target-on"; "age,minority"; "--regime"; "uk-like" ], "minority"
              "heterogeneity out of range", [ "--target-on"; "age"; "--heterogeneity"; "4" ], "--heterogeneity"
              "too few candidates", [ "--target-on"; "age"; "--candidates"; "1" ], "--candidates"
              "no replicates", [ "--target-on"; "age"; "--replicates"; "0" ], "--replicates" ] do
            test $"bad input: {name} -> exit 2" {
                let code, _, err = Cli.run (args extra)
                Expect.equal code 2 (sprintf "exit 2: %s" err)
                Expect.stringContains err expected "names the flag or value"
            }
    ]
