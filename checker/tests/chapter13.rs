//! Chapter 13 on a real engine: the multi-stage build of 13.1, with the stand-ins
//! `node:24` (heavy, with gcc and make) and `node:24-alpine`, whose `npm ci` fills
//! `node_modules` and the npm cache and whose `tsc` writes `dist/`.

mod common;

use common::*;

#[test]
fn ex_13_1_multi_stage() {
    docker_test!();
    clean("13.1");
    let dir = tempfile::tempdir().expect("tempdir");
    assert_statuses_in(
        dir.path(),
        "13.1",
        &[],
        &[
            ("simple", "fail"),
            ("multi", "fail"),
            ("plus-petite", "not_checked"),
            ("sans-compilateur", "not_checked"),
            ("sans-cache-ni-sources", "not_checked"),
            ("compilee", "not_checked"),
        ],
    );
    sh_in(dir.path(), &exercise("13.1").solution.expect("solution"));
    assert_failing_in(dir.path(), "13.1", &[], &[]);
    assert_eq!(
        helpers_left(),
        0,
        "the helpers that read the image are gone"
    );

    // A single-stage image under the multi-stage tag: as big, with the tools.
    let project = dir.path().join("api-node");
    sh_in(
        &project,
        "docker build -q -f Dockerfile.simple -t api-node:multi . >/dev/null",
    );
    assert_failing_in(
        dir.path(),
        "13.1",
        &[],
        &["plus-petite", "sans-compilateur", "sans-cache-ni-sources"],
    );
    let (expected, found) = failure_in(dir.path(), "13.1", "plus-petite");
    assert!(expected.contains("50 %"), "{expected}");
    assert!(found.contains("pas plus petite"), "{found}");
    let (_, found) = failure_in(dir.path(), "13.1", "sans-compilateur");
    assert!(found.contains("`/usr/bin/gcc` est présent"), "{found}");

    // Two stages, but the final one copies the whole build stage.
    sh_in(
        &project,
        "sed -i 's|^COPY --from=builder /app/dist ./dist|COPY --from=builder /app ./|' Dockerfile
         docker build -q -t api-node:multi . >/dev/null",
    );
    assert_failing_in(
        dir.path(),
        "13.1",
        &[],
        &["sans-compilateur", "sans-cache-ni-sources"],
    );
    let (_, found) = failure_in(dir.path(), "13.1", "sans-cache-ni-sources");
    assert!(found.contains("`/app/src`"), "{found}");
    sh_in(dir.path(), &exercise("13.1").cleanup.expect("cleanup"));
}
