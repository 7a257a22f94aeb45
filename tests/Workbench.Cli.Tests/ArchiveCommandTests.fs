module Workbench.Cli.Tests.ArchiveCommandTests

open System.IO
open System.Text.Json.Nodes
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testList "Cli.archive" [
        test "writes the Meta and Google layouts, and reports dark posts" {
            let dir = Cli.tempDir ()
            try
                let meta = Path.Combine(dir, "ads.json")
                let code, out, err = Cli.run [ "archive"; "regulation-transparency"; "--format"; "meta"; "--voters"; "10000"; "--out"; meta ]
                Expect.equal code 0 err
                let summary = JsonNode.Parse out
                Expect.isGreaterThan (summary.["darkPosts"].GetValue<int>()) 0 "dark posts under this card"
                Expect.equal (JsonNode.Parse(File.ReadAllText meta).AsArray().Count) (summary.["published"].GetValue<int>()) "published ads"
                let google = Path.Combine(dir, "ads.csv")
                let code2, _, err2 = Cli.run [ "archive"; "regulation-transparency"; "--format"; "google"; "--voters"; "10000"; "--out"; google ]
                Expect.equal code2 0 err2
                Expect.stringStarts (File.ReadAllText google) "Ad_ID,Ad_Type,Regions" "Google header"
                let code3, _, err3 = Cli.run [ "archive"; "regulation-transparency"; "--format"; "tiktok"; "--out"; google ]
                Expect.equal code3 2 "unknown format"
                Expect.stringContains err3 "--format" "names the flag"
            finally Directory.Delete(dir, true)
        }
        test "--audit adds the marginal-seat and hidden-attribute audits to the summary, and only with the flag" {
            let dir = Cli.tempDir ()
            try
                let file = Path.Combine(dir, "ads.json")
                let code, out, err = Cli.run [ "archive"; "regulation-transparency"; "--format"; "meta"; "--voters"; "10000"; "--audit"; "--out"; file ]
                Expect.equal code 0 err
                let audit = JsonNode.Parse(out).["audit"]
                Expect.isNotNull audit "an audit block"
                let m = audit.["marginalSeats"]
                Expect.isLessThanOrEqual (m.["visibleShare"].GetValue<float>()) (m.["trueShare"].GetValue<float>() + 1e-4) "what is visible is true"
                Expect.isGreaterThan (m.["darkShare"].GetValue<float>()) 0.0 "dark posts under this card"
                let hidden = audit.["hiddenAttributes"].AsArray()
                Expect.sequenceEqual [ for h in hidden -> h.["attribute"].GetValue<string>() ] [ "minority"; "health" ] "both special categories"
                for h in hidden do
                    let p = h.["populationShare"].GetValue<float>()
                    Expect.isTrue (p > 0.0 && p < 1.0) "a share of the electorate"
                    Expect.isGreaterThanOrEqual (h.["maximumEstimate"].GetValue<float>()) (h.["archiveEstimate"].GetValue<float>()) "no estimate above its bound"
                    Expect.isLessThanOrEqual (h.["detectedSkewedAds"].GetValue<int>()) (h.["skewedAds"].GetValue<int>()) "detected ≤ skewed"
                let code2, out2, err2 = Cli.run [ "archive"; "regulation-transparency"; "--format"; "meta"; "--voters"; "10000"; "--out"; file ]
                Expect.equal code2 0 err2
                Expect.isNull (JsonNode.Parse(out2).["audit"]) "no audit without --audit"
            finally Directory.Delete(dir, true)
        }
    ]
