// Checks what the three invocations of invoker.properties must have shown.
def log = new File(basedir, 'build.log').text

// 1 and 2: the passing gate ran, on JUnit 5 and then on JUnit 6
assert log.count('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed') >= 2 : 'the passing gate did not run twice'
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.robustness.MnistGateTest.xml').text
assert report.contains('junit-jupiter-engine-6.1.3.jar') : 'the last passing run had no JUnit 6 engine on its class path'
assert report.contains('robustunit-framework-') : 'RobustUnit was not on the class path'

// a project without Keras models gets neither DL4J's Keras importer nor the HDF5 library it brings: the class path
// that Surefire records in the report (where the two checks above find the JUnit 6 engine and RobustUnit) has no such jar
def classPathJars = (report =~ /[^\/\\:;"]+\.jar/).collect { it }
assert classPathJars.any { it.startsWith('nd4j-native-') } : 'the report lists no class path to check'
assert !classPathJars.any { it.startsWith('deeplearning4j-modelimport-') } : 'deeplearning4j-modelimport is on the class path of a project without Keras'
assert !classPathJars.any { it.startsWith('hdf5-') } : 'the HDF5 library is on the class path of a project without Keras'
def withoutKeras = new File(basedir, 'target/surefire-reports/TEST-com.example.robustness.WithoutKerasTest.xml')
assert withoutKeras.exists() && withoutKeras.text.contains('failures="0"') && withoutKeras.text.contains('errors="0"') :
        'opening a Keras file without the importer did not give the documented error'

// the Open Test Reporting XML of docs/reports-and-baselines.md keeps the invocations' numbers
def openXml = new File(basedir, 'target/junit-platform-reports').listFiles()?.find { it.name.endsWith('.xml') }
assert openXml != null : 'no Open Test Reporting XML'
assert openXml.text.contains('adversarialAccuracy') : 'the report entries are not in the Open Test Reporting XML'

// 3: the gate that fails on purpose failed the build, with the documented message
assert log.contains('Tests run: 1, Failures: 1, Errors: 0, Skipped: 0') : 'the failing gate did not fail'
assert log =~ /FGSM ε=0\.1 on FailingGateTest\.resistsLargerPerturbations\(\): adversarial accuracy \d+\.\d\d% is below the minimum 90\.00%/ :
        'the failing gate did not fail with the documented message'
true
