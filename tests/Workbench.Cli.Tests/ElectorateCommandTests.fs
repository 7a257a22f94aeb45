module Workbench.Cli.Tests.ElectorateCommandTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open Expecto

[<Tests>]
let tests =
    testList "Cli.Electorate" [
        test "writes a parquet file and prints the JSON summary" {
            let dir = Cli.tempDir ()
            let out = Path.Combine(dir, "e.parquet")
            let code, stdout, err = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "5000"; "--seed"; "3"; "--out"; out ]
            Expect.equal code 0 $"exit code ({err})"
            Expect.isTrue (File.Exists out) "file written"
            use doc = JsonDocument.Parse stdout
            let root = doc.RootElement
            Expect.equal (root.GetProperty("voters").GetInt32()) 5000 "voters"
            for key in [ "households"; "constituencies"; "turnout"; "nationalShares"; "largestCalibrationError" ] do
                Expect.isTrue (fst (root.TryGetProperty key)) $"has {key}"
            Expect.equal (Directory.GetFileSystemEntries dir |> Array.map Path.GetFileName) [| "e.parquet" |] "no temporary file left beside it"
            Directory.Delete(dir, true)
        }
        test "csv output, threads 1 and 2 give identical bytes" {
            let dir = Cli.tempDir ()
            let a, b = Path.Combine(dir, "a.csv"), Path.Combine(dir, "b.csv")
            let c1, _, _ = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "4000"; "--seed"; "9"; "--out"; a; "--threads"; "1" ]
            let c2, _, _ = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "4000"; "--seed"; "9"; "--out"; b; "--threads"; "2" ]
            Expect.equal (c1, c2) (0, 0) "exit codes"
            Expect.sequenceEqual (File.ReadAllBytes a) (File.ReadAllBytes b) "identical"
            Directory.Delete(dir, true)
        }
        for (name, args, expected) in
            [ "unknown preset", [ "--preset"; "atlantis"; "--voters"; "1000" ], "atlantis"
              "zero voters", [ "--preset"; "classroom"; "--voters"; "0" ], "--voters"
              "negative voters", [ "--preset"; "classroom"; "--voters"; "-5" ], "--voters"
              "both preset and spec", [ "--preset"; "classroom"; "--spec"; "x.json" ], "exactly one"
              "missing spec file", [ "--spec"; "/nonexistent/spec.json" ], "does not exist"
              "unwritable path", [ "--preset"; "classroom"; "--voters"; "1000"; "--out"; "/nonexistent-dir/e.parquet" ], "does not exist"
              "bad extension", [ "--preset"; "classroom"; "--voters"; "1000"; "--out"; "e.xlsx" ], ".parquet or .csv" ] do
            test $"bad input: {name} -> exit 2 with a clear message" {
                let code, _, err = Cli.run ("electorate" :: args)
                Expect.equal code 2 "exit code 2"
                Expect.stringContains err expected "message"
            }
        // The generator's vector code (Vector512, sixteen voters per register) must give the same bits on any CPU. The
        // runtime's switches turn off AVX-512 (then .NET runs each 512-bit operation on two AVX2 halves) or every SIMD
        // instruction (then it computes vector operations element by element). Without AVX-512 the published classroom
        // sample comes out byte for byte. Without any SIMD the CSV (every value, full precision) is compared.
        let runCli (switches: (string * string) list) (out: string) =
            let cli = Path.Combine(AppContext.BaseDirectory, "Workbench.Cli.dll")
            let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
            let psi = ProcessStartInfo(dotnet, [ cli; "electorate"; "--preset"; "classroom"; "--voters"; "20000"; "--seed"; "1"; "--out"; out ],
                                       RedirectStandardOutput = true, RedirectStandardError = true)
            for (key, value) in switches do psi.Environment[key] <- value
            use p = Process.Start psi
            let stdout = p.StandardOutput.ReadToEndAsync()
            let stderr = p.StandardError.ReadToEndAsync()
            Expect.isTrue (p.WaitForExit 600000) "finishes"
            Expect.equal p.ExitCode 0 (stdout.Result + stderr.Result)
        test "the classroom sample is byte-identical without AVX-512 (two AVX2 halves per vector)" {
            let dir = Cli.tempDir ()
            let out = Path.Combine(dir, "sample.parquet")
            runCli [ "DOTNET_EnableAVX512F", "0" ] out
            let published = File.ReadAllBytes(Path.Combine(Cli.repoRoot, "data-synthetic", "classroom-sample.parquet"))
            Expect.isTrue (File.ReadAllBytes out = published) "same bytes as data-synthetic/classroom-sample.parquet"
            Directory.Delete(dir, true)
        }
        test "the classroom electorate has the same values without any SIMD instructions (CSV bytes)" {
            let dir = Cli.tempDir ()
            let scalar, vector = Path.Combine(dir, "scalar.csv"), Path.Combine(dir, "vector.csv")
            runCli [ "DOTNET_EnableHWIntrinsic", "0" ] scalar
            let code, _, err = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "20000"; "--seed"; "1"; "--out"; vector ]
            Expect.equal code 0 err
            Expect.isTrue (File.ReadAllBytes scalar = File.ReadAllBytes vector) "same CSV bytes with and without SIMD"
            Directory.Delete(dir, true)
        }
        test "--threads 1 and --threads 2 write the same Parquet bytes" {
            let dir = Cli.tempDir ()
            try
                let files =
                    [ for t in [ "1"; "2" ] ->
                        let out = Path.Combine(dir, $"t{t}.parquet")
                        let code, _, err = Cli.run [ "electorate"; "--preset"; "classroom"; "--voters"; "30000"; "--seed"; "5"; "--threads"; t; "--out"; out ]
                        Expect.equal code 0 err
                        File.ReadAllBytes out ]
                Expect.isTrue (files[0] = files[1]) "identical bytes"
            finally Directory.Delete(dir, true)
        }
        test "an invalid spec file lists its errors and leaves no output file" {
            let dir = Cli.tempDir ()
            let spec = Path.Combine(dir, "bad.json")
            File.WriteAllText(spec, """{ "name": "bad", "regions": 2, "constituencies": 4, "turnoutTarget": 3.0,
                "parties": [ { "name": "A", "targetShare": 0.7, "positions": [0,0,0,0] }, { "name": "B", "targetShare": 0.7, "positions": [1,1,1,1] } ] }""")
            let out = Path.Combine(dir, "e.parquet")
            let code, _, err = Cli.run [ "electorate"; "--spec"; spec; "--voters"; "1000"; "--out"; out ]
            Expect.equal code 2 "exit 2"
            Expect.stringContains err "$.turnoutTarget" "turnout error"
            Expect.stringContains err "$.parties" "shares error"
            Expect.isFalse (File.Exists out) "no output"
            Directory.Delete(dir, true)
        }
    ]
