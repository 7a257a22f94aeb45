namespace Workbench.Notebooks.Tests

open System
open System.Diagnostics
open System.IO

/// Outside processes the tests drive: any command, and Debian's headless Chromium.
module Tools =
    /// Runs a process with extra environment variables, returning the exit code and stdout + stderr; kills it after the timeout.
    let exec (file: string) (args: string list) (env: (string * string) list) (cwd: string) (timeoutMs: int) =
        let psi = ProcessStartInfo(file, args, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd)
        for k, v in env do psi.Environment.[k] <- v
        use p = Process.Start psi
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEndAsync()
        if not (p.WaitForExit timeoutMs) then (try p.Kill true with _ -> ()); failwithf "%s timed out" file
        p.ExitCode, out.Result + err.Result

    /// Loads a URL in headless Chromium (a fresh profile, no network services) and returns the DOM after scripts ran and
    /// Chromium's log. Without Chromium the test is skipped on a developer machine and fails in CI.
    let chromiumDump (url: string) (windowSize: string option) (virtualTimeMs: int) =
        let exe = "/usr/bin/chromium"
        if not (File.Exists exe) then Repo.requireTool "Chromium is not installed: apt-get install -y chromium (.ci/run installs it)"
        let profile = Path.Combine(Path.GetTempPath(), $"wb-chromium-{Guid.NewGuid():N}")
        Directory.CreateDirectory profile |> ignore
        let args =
            [ "--headless"; "--no-sandbox"; "--disable-gpu"; "--no-first-run"; "--disable-background-networking"
              "--disable-component-update"; "--disable-sync"; "--disable-quic"; $"--user-data-dir={profile}"
              "--enable-logging=stderr"; "--v=0"; $"--virtual-time-budget={virtualTimeMs}" ]
            @ (windowSize |> Option.map (fun s -> [ $"--window-size={s}" ]) |> Option.defaultValue [])
            @ [ "--dump-dom"; url ]
        let psi = ProcessStartInfo(exe, args, RedirectStandardOutput = true, RedirectStandardError = true)
        use p = Process.Start psi
        let out = p.StandardOutput.ReadToEndAsync()
        let err = p.StandardError.ReadToEndAsync()
        if not (p.WaitForExit 90_000) then p.Kill true
        try Directory.Delete(profile, true) with _ -> ()
        out.Result, err.Result
