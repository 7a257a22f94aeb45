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
    ]
