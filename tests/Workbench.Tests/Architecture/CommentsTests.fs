/// Comments and docs explain; they do not point at tracker issues (COMMON conventions: "no issue numbers in code comments or docs").
module Workbench.Tests.Architecture.CommentsTests

open System.IO
open System.Text.RegularExpressions
open Expecto
open Workbench.Cli.Tests

/// A tracker reference: the word issue followed by "#" and a number, or by a number and "goal"/"goals". ("issue 0" alone is an issue dimension of the voter model.)
let private trackerReference = Regex(@"\bissue\s*#\s*\d+|\bissue\s+\d+\s+goals?\b", RegexOptions.IgnoreCase)

let private sources () =
    let under dir (patterns: string list) =
        let d = Path.Combine(Cli.repoRoot, dir)
        patterns |> List.collect (fun p -> Directory.GetFiles(d, p, SearchOption.AllDirectories) |> List.ofArray)
        |> List.filter (fun f -> not (f.Contains $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}" || f.Contains $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
    under "lib" [ "*.cs"; "*.csproj" ] @ under "tests" [ "*.cs"; "*.fs"; "*.csproj"; "*.fsproj" ] @ under "docs" [ "*.md" ]

[<Tests>]
let tests =
    testList "Architecture.Comments" [
        test "the check recognises a tracker reference and passes an issue dimension" {
            Expect.isTrue (trackerReference.IsMatch("first-touch page faults (" + "issue #" + "2)")) "issue #N"
            Expect.isTrue (trackerReference.IsMatch("/// " + "Issue 7" + " goal: one replicate")) "Issue N goal"
            Expect.isFalse (trackerReference.IsMatch "Economic issues (issue 0, 4, …)") "an issue dimension is not a reference"
        }
        test "no source file or doc page refers to a tracker issue by number" {
            let files = sources ()
            Expect.isGreaterThan files.Length 100 "the sources are read"
            let hits =
                [ for f in files do
                    for i, line in File.ReadAllLines f |> Array.indexed do
                        if trackerReference.IsMatch line then yield $"{Path.GetRelativePath(Cli.repoRoot, f)}:{i + 1}: {line.Trim()}" ]
            Expect.isEmpty hits "say what the goal or the reason is instead"
        }
    ]
