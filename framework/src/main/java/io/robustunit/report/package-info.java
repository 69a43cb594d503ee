/**
 * The machinery behind RobustUnit's report files: the JSON reports, the HTML summary and the baseline file. The
 * files and their schemas are the API; these classes are internal to the JUnit extension and may change in any
 * release.
 */
@API(status = INTERNAL, since = "0.1")
package io.robustunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
