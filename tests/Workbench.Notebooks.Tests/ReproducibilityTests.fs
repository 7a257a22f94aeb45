/// Executed notebooks are reproducible to the byte except timings: the curriculum is run twice and compared.
module Workbench.Notebooks.Tests.ReproducibilityTests

open System
open System.IO
open Expecto
open Workbench.Notebooks
open Workbench.Notebooks.Tests

let private repoRoot = Repo.root

/// What may differ between runs (timings) is masked by Runner.MaskTimings.
let mask (json: string) = Runner.MaskTimings json

[<Tests>]
let tests =
    testSequenced <| testList "Notebooks.Reproducibility" [
        testList "every chapter run twice gives the same bytes, timings aside" [
            for chapter in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb") |> Array.sort do
                let name = Path.GetFileNameWithoutExtension chapter
                test name {
                    let run () =
                        let r = Runner.RunAsync(Notebook.Load chapter, Path.GetDirectoryName chapter).GetAwaiter().GetResult()
                        Expect.isTrue r.Succeeded (sprintf "%s ran: %s" name r.Error)
                        r.Executed.ToJson()
                    // The first run: the README's main command in CI (artifacts/notebooks, a separate process), when it is newer
                    // than the chapter and the library; otherwise run it here.
                    let ran = Path.Combine(repoRoot, "artifacts", "notebooks", name + ".ipynb")
                    let lib = Path.Combine(repoRoot, "artifacts", "bin", "Workbench", "release", "Workbench.dll")
                    let first =
                        if File.Exists ran && File.GetLastWriteTimeUtc ran > File.GetLastWriteTimeUtc chapter
                           && (not (File.Exists lib) || File.GetLastWriteTimeUtc ran > File.GetLastWriteTimeUtc lib)
                        then File.ReadAllText ran
                        else run ()
                    let second = run ()
                    let a, b = mask first, mask second
                    if a <> b then
                        let i = Seq.zip a b |> Seq.tryFindIndex (fun (x, y) -> x <> y) |> Option.defaultValue (min a.Length b.Length)
                        let around (s: string) = s.Substring(max 0 (i - 200), min 400 (s.Length - max 0 (i - 200)))
                        failtestf "%s differs at character %d:\nfirst:  %s\nsecond: %s" name i (around a) (around b)
                }
        ]
    ]
