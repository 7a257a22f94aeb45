namespace Workbench.Notebooks.Tests

open System
open System.IO

/// The repository checkout the tests run from.
module Repo =
    /// The folder holding Workbench.sln, found upward from the test binary.
    let root =
        let rec up (d: DirectoryInfo) =
            if isNull d then failwith "repository root (Workbench.sln) not found"
            elif File.Exists(Path.Combine(d.FullName, "Workbench.sln")) then d.FullName
            else up d.Parent
        up (DirectoryInfo AppContext.BaseDirectory)

    /// A test needs an outside tool (Chromium, python3-nbformat, …) that is missing: it fails in CI (`CI=true`, where
    /// .ci/run installs every tool) and is skipped on a developer machine, with the message saying how to install it.
    let requireTool (message: string) : unit =
        if Environment.GetEnvironmentVariable "CI" = "true" then Expecto.Tests.failtest message
        else Expecto.Tests.skiptest message
