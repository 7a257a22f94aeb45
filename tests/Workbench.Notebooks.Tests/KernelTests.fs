module Workbench.Notebooks.Tests.KernelTests

open System
open System.Diagnostics
open System.IO
open System.Text.Json.Nodes
open System.Text.RegularExpressions
open Expecto
open Workbench.Notebooks
open Workbench.Notebooks.Kernel
open Workbench.Notebooks.Tests

let private repoRoot = Repo.root

let private exec = Tools.exec

/// Debian's jupyter-client, jupyter-nbconvert and python3-nbclient (installed by .ci/run).
let private jupyterAvailable =
    lazy (File.Exists "/usr/bin/python3" && File.Exists "/usr/bin/jupyter"
          && (try fst (exec "/usr/bin/python3" [ "-c"; "import jupyter_client, nbconvert, nbclient" ] [] "/" 60000) = 0 with _ -> false))

/// Without Jupyter the kernel tests are skipped on a developer machine, and fail in CI (which installs it).
let private requireJupyter () =
    if not jupyterAvailable.Value then
        if Environment.GetEnvironmentVariable "CI" = "true" then failtest "Jupyter (jupyter-client, jupyter-nbconvert, python3-nbclient) is missing; .ci/run installs it."
        else skiptest "Jupyter is not installed (apt-get install jupyter-client jupyter-nbconvert python3-nbclient); .ci/run installs it."

/// A kernelspec for the built tool, installed under a private prefix; JUPYTER_PATH points there.
let private installed =
    lazy (
        let prefix = Path.Combine(Path.GetTempPath(), "wb-kernel-" + Guid.NewGuid().ToString("N"))
        let dll = Path.Combine(repoRoot, "artifacts", "bin", "Workbench.Cli", "release", "Workbench.Cli.dll")
        if not (File.Exists dll) then failwithf "the workbench tool is not built: %s" dll
        let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
        KernelSpec.Install(KernelSpec.KernelsDirectory("prefix", prefix), KernelSpec.DefaultName, KernelSpec.DefaultDisplayName, [| dotnet; dll |], true) |> ignore
        [ "JUPYTER_PATH", Path.Combine(prefix, "share", "jupyter"); "PYDEVD_DISABLE_FILE_VALIDATION", "1" ])

/// The outputs of a notebook's code cells, normalised for comparison: stream text (without timings),
/// text/plain and text/html of results and displays (random plot ids replaced), and errors.
let outputsOf (path: string) =
    let nb = JsonNode.Parse(File.ReadAllText path)
    let text (n: JsonNode) =
        match n with
        | null -> ""
        | :? JsonArray as a -> a |> Seq.map (fun x -> x.GetValue<string>()) |> String.concat ""
        | v -> v.GetValue<string>()
    let norm (s: string) = Regex.Replace(s, "plotly-[0-9a-f]{6,}", "plotly-ID").Replace("\r\n", "\n").TrimEnd()
    [ for cell in nb.["cells"].AsArray() do
        if cell.["cell_type"].GetValue<string>() = "code" then
            [ for o in cell.["outputs"].AsArray() do
                match o.["output_type"].GetValue<string>() with
                | "stream" ->
                    let t = (text o.["text"]).Split('\n') |> Array.filter (fun l -> not (l.StartsWith "Wall time")) |> String.concat "\n"
                    if t.Trim() <> "" then yield "stream: " + norm t
                | "error" -> yield "error: " + o.["ename"].GetValue<string>()
                | _ ->
                    let data = o.["data"]
                    yield "plain: " + norm (text data.["text/plain"])
                    if not (isNull data.["text/html"]) then yield "html: " + norm (text data.["text/html"]) ] ]

[<Tests>]
let kernel =
    testSequenced <| testList "Kernel" [
        test "kernelspec install refuses to replace a different kernel without --force, and says what is there" {
            let dir = Path.Combine(Path.GetTempPath(), "wb-ks-" + Guid.NewGuid().ToString("N"))
            try
                KernelSpec.Install(dir, "k", "One", [| "a" |], false) |> ignore
                KernelSpec.Install(dir, "k", "One", [| "a" |], false) |> ignore // identical: fine
                let ex = Expect.throwsC (fun () -> KernelSpec.Install(dir, "k", "Two", [| "b" |], false) |> ignore) id
                Expect.stringContains ex.Message "One" "names the existing kernel"
                KernelSpec.Install(dir, "k", "Two", [| "b" |], true) |> ignore
                let j = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "k", "kernel.json")))
                Expect.equal (j.["interrupt_mode"].GetValue<string>()) "message" "interrupts by message"
                Expect.equal (j.["language"].GetValue<string>()) "C#" "language"
                Expect.equal (j.["argv"].AsArray() |> Seq.map (fun x -> x.GetValue<string>()) |> List.ofSeq) [ "b"; "kernel"; "--connection-file"; "{connection_file}" ] "argv"
                Expect.isTrue (KernelSpec.Uninstall(dir, "k")) "uninstall"
                Expect.isFalse (Directory.Exists(Path.Combine(dir, "k"))) "removed"
            finally if Directory.Exists dir then Directory.Delete(dir, true)
        }
        test "the Jupyter protocol, driven by jupyter_client: kernel_info, execute, errors, display updates, completion, inspection, interrupt (a loop, and a cell that ignores it: its worker is ended), Environment.Exit in a cell, a badly signed message, shutdown" {
            requireJupyter ()
            let code, out = exec "/usr/bin/python3" [ Path.Combine(repoRoot, "tests", "kernel", "protocol_test.py"); KernelSpec.DefaultName ] installed.Value repoRoot 300000
            let lines = out.Split('\n') |> Array.filter (fun l -> l.StartsWith "PASS" || l.StartsWith "FAIL" || l.StartsWith "{")
            printfn "kernel protocol: %s" (lines |> Array.filter (fun l -> l.StartsWith "{") |> String.concat " ")
            Expect.equal code 0 (String.concat "\n" (lines |> Array.filter (fun l -> l.StartsWith "FAIL")) + "\n" + out)
            Expect.isGreaterThanOrEqual (lines |> Array.filter (fun l -> l.StartsWith "PASS") |> Array.length) 30 "every check ran"
        }
        testList "every chapter executes under jupyter nbconvert with the installed kernel, with the same outputs as workbench run" [
            for chapter in Directory.GetFiles(Path.Combine(repoRoot, "notebooks"), "*.ipynb") |> Array.sort do
                let name = Path.GetFileNameWithoutExtension chapter
                test name {
                    requireJupyter ()
                    let outDir = Path.Combine(Path.GetTempPath(), "wb-nbc-" + Guid.NewGuid().ToString("N"))
                    try
                        let code, log = exec "/usr/bin/jupyter" [ "nbconvert"; "--to"; "notebook"; "--execute"; "--ExecutePreprocessor.kernel_name=" + KernelSpec.DefaultName
                                                                  "--ExecutePreprocessor.timeout=900"; chapter; "--output-dir"; outDir ] installed.Value (Path.GetDirectoryName chapter) 1200000
                        Expect.equal code 0 log
                        // The runner's outputs: from the CI run (artifacts/notebooks) when fresh, else run now.
                        let ran = Path.Combine(repoRoot, "artifacts", "notebooks", name + ".ipynb")
                        let reference =
                            if File.Exists ran && File.GetLastWriteTimeUtc ran > File.GetLastWriteTimeUtc chapter then ran
                            else
                                let run = Runner.RunAsync(Notebook.Load chapter, Path.GetDirectoryName chapter).GetAwaiter().GetResult()
                                let p = Path.Combine(outDir, name + ".runner.ipynb")
                                File.WriteAllText(p, run.Executed.ToJson())
                                p
                        let a, b = outputsOf (Path.Combine(outDir, name + ".ipynb")), outputsOf reference
                        Expect.equal a.Length b.Length "code cells"
                        List.iteri2 (fun i (x: string list) (y: string list) -> Expect.sequenceEqual x y (sprintf "%s, code cell %d" name (i + 1))) a b
                    finally if Directory.Exists outDir then Directory.Delete(outDir, true)
                }
        ]
    ]

[<Tests>]
let orphan =
    test "Kernel.a kernel whose parent process dies exits instead of lingering" {
        let dll = Path.Combine(repoRoot, "artifacts", "bin", "Workbench.Cli", "release", "Workbench.Cli.dll")
        let dir = Path.Combine(Path.GetTempPath(), "wb-orphan-" + Guid.NewGuid().ToString("N"))
        Directory.CreateDirectory dir |> ignore
        try
            let port () = let l = new Net.Sockets.TcpListener(Net.IPAddress.Loopback, 0) in l.Start(); let p = (l.LocalEndpoint :?> Net.IPEndPoint).Port in l.Stop(); p
            let conn = Path.Combine(dir, "c.json")
            File.WriteAllText(conn, sprintf """{"transport":"tcp","ip":"127.0.0.1","shell_port":%d,"iopub_port":%d,"stdin_port":%d,"control_port":%d,"hb_port":%d,"key":"k","signature_scheme":"hmac-sha256"}""" (port ()) (port ()) (port ()) (port ()) (port ()))
            let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p
            // A shell starts the kernel in the background, prints its pid and waits; killing the shell orphans the kernel.
            let psi = ProcessStartInfo("/bin/sh", [ "-c"; sprintf "'%s' '%s' kernel --connection-file '%s' 2>/dev/null & echo $!; wait" dotnet dll conn ], RedirectStandardOutput = true)
            psi.Environment.Remove "JPY_PARENT_PID" |> ignore
            use sh = Process.Start psi
            let kernelPid = int (sh.StandardOutput.ReadLine())
            Threading.Thread.Sleep 2000
            use kernel = Process.GetProcessById kernelPid
            Expect.isFalse kernel.HasExited "the kernel runs while its parent lives"
            sh.Kill()
            Expect.isTrue (kernel.WaitForExit 15000) "the kernel exits after its parent dies"
        finally Directory.Delete(dir, true)
    }
