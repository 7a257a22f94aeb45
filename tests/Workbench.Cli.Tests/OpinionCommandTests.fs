module Workbench.Cli.Tests.OpinionCommandTests

open System.IO
open System.Text.Json
open Expecto

[<Tests>]
let tests =
    testList "Cli.Opinion" [
        test "opinion --dimensions 2 reports joint clusters, alignment and per-issue metrics, and writes one column per issue" {
            let dir = Cli.tempDir ()
            try
                let code, out, err = Cli.run [ "opinion"; "--model"; "deffuant"; "--graph"; "complete"; "--nodes"; "600"; "--epsilon"; "0.9"; "--steps"; "500"; "--seed"; "1"; "--dimensions"; "2"; "--out"; dir ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                let final = doc.RootElement.GetProperty("final")
                Expect.equal (doc.RootElement.GetProperty("dimensions").GetInt32()) 2 "dimensions"
                Expect.equal (final.GetProperty("jointMajorClusters").GetInt32()) 1 "a wide bound gives consensus on both issues"
                Expect.equal (final.GetProperty("perDimension").GetArrayLength()) 2 "per-issue metrics"
                let lines = File.ReadAllLines(Path.Combine(dir, "opinions.csv"))
                Expect.equal lines.[0] "node,opinion0,opinion1" "one column per issue"
                Expect.equal lines.Length 601 "one row per node"
                let code, _, err = Cli.run [ "opinion"; "--model"; "deffuant"; "--graph"; "complete"; "--nodes"; "10"; "--steps"; "5"; "--seed"; "1"; "--dimensions"; "0" ]
                Expect.equal code 2 "invalid dimensions"
                Expect.stringContains err "--dimensions" "names the option"
            finally Directory.Delete(dir, true)
        }
        test "opinion prints final metrics and writes the time series" {
            let dir = Cli.tempDir ()
            let code, out, err = Cli.run [ "opinion"; "--model"; "deffuant"; "--graph"; "erdos-renyi"; "--nodes"; "500"; "--degree"; "10"; "--epsilon"; "0.3"; "--steps"; "50"; "--seed"; "1"; "--out"; dir ]
            Expect.equal code 0 err
            use doc = JsonDocument.Parse out
            for k in [ "steps"; "converged"; "interactionsPerSecond"; "final" ] do Expect.isTrue (fst (doc.RootElement.TryGetProperty k)) k
            let lines = File.ReadAllLines(Path.Combine(dir, "timeseries.csv"))
            Expect.equal lines.[0] "replicate,step,metric,value" "tidy header"
            Expect.isGreaterThan lines.Length 5 "rows"
            Directory.Delete(dir, true)
        }
        test "timeseries.csv and opinions.csv keep their bytes for a fixed seed (one issue and three issues)" {
            let sha (f: string) = System.Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes f))
            for args, opinions, series in
                [ [ "--model"; "deffuant"; "--graph"; "watts-strogatz"; "--nodes"; "500"; "--steps"; "20"; "--seed"; "3" ],
                  "05394d1edce9bfeaf790f5524e7ea7d9b140d360c7f8f3cb592ef6df4d32a8f0", "d43116b1401ad233844498539251dd66257d2a3ad6aa4428e416050e2bc7ad9c"
                  [ "--model"; "deffuant"; "--graph"; "erdos-renyi"; "--nodes"; "400"; "--steps"; "20"; "--seed"; "5"; "--dimensions"; "3" ],
                  "d667e6adf8b250212934bbc6cefcf46be36f50451cb40890bd4dee5e1ccbe492", "c077280ab1fca1ac7ac9056264d5f75902cb1cbb85d50f7842d809c6de888d03" ] do
                let dir = Cli.tempDir ()
                try
                    let code, _, err = Cli.run ("opinion" :: args @ [ "--out"; dir ])
                    Expect.equal code 0 err
                    Expect.equal (sha (Path.Combine(dir, "opinions.csv"))) opinions $"opinions.csv of {args}"
                    Expect.equal (sha (Path.Combine(dir, "timeseries.csv"))) series $"timeseries.csv of {args}"
                finally Directory.Delete(dir, true)
        }
        test "the printed seed is the --seed given, also when negative (the stream seed it resolves to stays internal)" {
            for seed in [ "-1"; "7" ] do
                let code, out, err = Cli.run [ "opinion"; "--model"; "hk"; "--graph"; "complete"; "--nodes"; "10"; "--steps"; "1"; "--seed"; seed ]
                Expect.equal code 0 err
                use doc = JsonDocument.Parse out
                Expect.equal (doc.RootElement.GetProperty("seed").GetRawText()) seed "seed as given"
        }
        test "--graph electorate runs on the layered social graph of a generated electorate" {
            let code, out, err = Cli.run [ "opinion"; "--model"; "hk"; "--graph"; "electorate"; "--nodes"; "5000"; "--epsilon"; "0.2"; "--steps"; "5"; "--seed"; "2" ]
            Expect.equal code 0 err
            use doc = JsonDocument.Parse out
            Expect.isGreaterThan (doc.RootElement.GetProperty("edges").GetInt64()) 5000L "a social graph with ties"
        }
        for (name, args, expected) in
            [ "unknown model", [ "--model"; "ising"; "--graph"; "complete"; "--nodes"; "10"; "--steps"; "1"; "--seed"; "1" ], "--model"
              "too few nodes", [ "--model"; "hk"; "--graph"; "complete"; "--nodes"; "1"; "--steps"; "1"; "--seed"; "1" ], "--nodes"
              "bad epsilon", [ "--model"; "hk"; "--graph"; "complete"; "--nodes"; "10"; "--epsilon"; "2"; "--steps"; "1"; "--seed"; "1" ], "epsilon"
              "missing steps", [ "--model"; "hk"; "--graph"; "complete"; "--nodes"; "10"; "--seed"; "1" ], "--steps" ] do
            test $"bad input: {name} -> exit 2" {
                let code, _, err = Cli.run ("opinion" :: args)
                Expect.equal code 2 "exit 2"
                Expect.stringContains err expected "message"
            }
    ]
