/// dotnet pack produces the library, notebook-engine and tool packages with the one version of Directory.Build.props.
module Workbench.Cli.Tests.PackTests

open System
open System.Diagnostics
open System.IO
open System.IO.Compression
open System.Text.RegularExpressions
open Expecto
open Workbench.Cli.Tests

[<Tests>]
let tests =
    testSequenced <| test "Cli.pack: dotnet pack writes Workbench, Workbench.Notebooks and the Workbench.Cli tool, all at the version in Directory.Build.props" {
        let version = Regex.Match(File.ReadAllText(Path.Combine(Cli.repoRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups.[1].Value
        Expect.isNotEmpty version "one version in Directory.Build.props"
        let out = Cli.tempDir ()
        try
            let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
            // --no-build packs the binaries this test run is using (built by the README's test command).
            let psi = ProcessStartInfo(dotnet, [ "pack"; Path.Combine(Cli.repoRoot, "Workbench.sln"); "-c"; "Release"; "--no-build"; "-o"; out ],
                                       RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Cli.repoRoot)
            use p = Process.Start psi
            let log = p.StandardOutput.ReadToEndAsync()
            let err = p.StandardError.ReadToEndAsync()
            if not (p.WaitForExit 300_000) then p.Kill true
            Expect.equal p.ExitCode 0 (log.Result + err.Result)
            let names = Directory.GetFiles(out, "*.nupkg") |> Array.map Path.GetFileName |> Array.sort
            Expect.equal names [| $"Workbench.{version}.nupkg"; $"Workbench.Cli.{version}.nupkg"; $"Workbench.Notebooks.{version}.nupkg" |] "three packages"
            use tool = ZipFile.OpenRead(Path.Combine(out, $"Workbench.Cli.{version}.nupkg"))
            let settings = tool.Entries |> Seq.find (fun e -> e.Name = "DotnetToolSettings.xml")
            use r = new StreamReader(settings.Open())
            Expect.stringContains (r.ReadToEnd()) "<Command Name=\"workbench\" EntryPoint=\"Workbench.Cli.dll\"" "a .NET tool whose command is workbench"
            use lib = ZipFile.OpenRead(Path.Combine(out, $"Workbench.{version}.nupkg"))
            Expect.isTrue (lib.Entries |> Seq.exists (fun e -> e.FullName = "lib/net10.0/Workbench.dll")) "the library"
            Expect.isTrue (lib.Entries |> Seq.exists (fun e -> e.FullName = "lib/net10.0/Workbench.xml")) "with its XML docs"
        finally Directory.Delete(out, true)
    }
