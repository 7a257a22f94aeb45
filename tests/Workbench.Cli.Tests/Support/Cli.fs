namespace Workbench.Cli.Tests

open System
open System.IO

/// Identifies this test assembly to the runner in tests/Workbench.Tests.
type Marker = class end

/// Runs the `workbench` command in process, capturing stdout, stderr and the exit code.
module Cli =
    /// Runs `workbench args` in process, capturing this call's console output through the
    /// per-flow ConsoleRouter (so parallel tests and notebook sessions do not mix their streams).
    let run (args: string list) =
        let out, err = new StringWriter(), new StringWriter()
        let code =
            use _capture = global.Workbench.Notebooks.Engine.ConsoleRouter.Capture(out, err)
            global.Workbench.Cli.Program.Main(List.toArray args)
        code, out.ToString(), err.ToString()

    /// The repository checkout.
    let repoRoot = Workbench.Notebooks.Tests.Repo.root

    /// A fresh temporary folder, deleted by the caller with `cleanup`.
    let tempDir () =
        let d = Path.Combine(Path.GetTempPath(), "wb-test-" + Guid.NewGuid().ToString("N"))
        Directory.CreateDirectory d |> ignore
        d

    /// The built `workbench` tool (Workbench.Cli.dll beside the tests), for tests that need a real process (kill, memory limits).
    let dll = Path.Combine(AppContext.BaseDirectory, "Workbench.Cli.dll")
    let private dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with | null | "" -> "dotnet" | p -> p

    /// Starts `workbench args` as its own process with extra environment variables (stdout and stderr redirected).
    let start (args: string list) (env: (string * string) list) =
        let psi = Diagnostics.ProcessStartInfo(dotnet, dll :: args, RedirectStandardOutput = true, RedirectStandardError = true)
        for k, v in env do psi.Environment.[k] <- v
        Diagnostics.Process.Start psi

    /// Runs `workbench args` as its own process; returns the exit code, stdout and stderr (killed and failed after the timeout).
    let runProcess (args: string list) (env: (string * string) list) (timeoutMs: int) =
        use p = start args env
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEndAsync()
        if not (p.WaitForExit timeoutMs) then
            (try p.Kill true with _ -> ())
            failwithf "workbench %s did not finish in %d ms" (String.Join(" ", args)) timeoutMs
        p.ExitCode, out.Result, err.Result

    /// Every file and folder under `dir` (relative paths, sorted): to check that a failed command added nothing.
    let entries (dir: string) =
        if Directory.Exists dir then Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories) |> Array.map (fun p -> Path.GetRelativePath(dir, p)) |> Array.sort
        else [||]

    /// A test needs root's `mount` (a small tmpfs): skipped with a message on a machine that does not allow it, failed in CI (`CI=true`).
    let requireMount (why: string) =
        if Environment.GetEnvironmentVariable "CI" = "true" then Expecto.Tests.failtestf "%s: mount is not permitted here; CI runs the tests as root, where it must be." why
        else Expecto.Tests.skiptestf "%s: mount is not permitted here (run as root to include this test)." why

    /// Runs <paramref name="f"/> with a fresh temporary folder, deleted afterwards.
    let withDir f =
        let dir = tempDir ()
        try f dir finally (try System.IO.Directory.Delete(dir, true) with _ -> ())

    /// Runs <paramref name="f"/> with a small tmpfs (`size` as mount takes it, e.g. "2m") mounted in a fresh temporary folder,
    /// unmounted and deleted afterwards: a disk that fills up. Needs root's `mount`: skipped where it is not permitted, failed in CI
    /// (see requireMount).
    let withTmpfs (size: string) (why: string) (f: string -> unit) =
        withDir (fun dir ->
            let mnt = Path.Combine(dir, "small")
            Directory.CreateDirectory mnt |> ignore
            let code, out = Workbench.Notebooks.Tests.Tools.exec "mount" [ "-t"; "tmpfs"; "-o"; "size=" + size; "tmpfs"; mnt ] [] dir 30000
            if code <> 0 then requireMount (sprintf "%s mounts a %s tmpfs (%s)" why size (out.Trim()))
            try f mnt
            finally Workbench.Notebooks.Tests.Tools.exec "umount" [ mnt ] [] dir 30000 |> ignore)

    /// No "Unhandled exception" and no stack-trace line in stderr (the CLI's contract: one-line messages, traces only with --verbose).
    let noTrace (err: string) (what: string) =
        Expecto.Expect.isFalse (err.Contains "Unhandled exception") (sprintf "%s: no unhandled exception:\n%s" what err)
        Expecto.Expect.isFalse (err.Split('\n') |> Array.exists (fun l -> l.StartsWith "   at ")) (sprintf "%s: no stack trace:\n%s" what err)
