package io.robustunit.model.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;

/**
 * Works out what one example is for a network. DL4J records the input type of a network only indirectly: a dense
 * first layer's {@code nIn}, the {@code FeedForwardToCnnPreProcessor} that {@code InputType.convolutionalFlat} adds,
 * and, for {@code InputType.convolutional}, the first convolution's channels and the image size recorded by the
 * {@code CnnToFeedForwardPreProcessor} where the network flattens. The image's height and width are found by trying
 * the sizes that give that flattened size; the data's feature count picks among several, and square images are
 * preferred among the rest.
 */
final class InputShapes {

    /** The largest image side tried when nothing else bounds the search. */
    private static final int MAX_SIDE = 1024;

    private InputShapes() {
    }

    static int size(long[] shape) {
        long size = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("input shape dimensions must be positive but got " + d);
            }
            size *= d;
        }
        return Math.toIntExact(size);
    }

    /** The first layer and preprocessor that read the network's input, and how to check a candidate input type. */
    private interface Entry {
        Layer layer();

        InputPreProcessor preprocessor();

        /** @return whether every layer accepts what the candidate input type makes of its input */
        boolean accepts(InputType candidate);

        /** @return the layers from the first onward, as long as each is the only one to read the one before */
        List<Layer> path();
    }

    static ExampleShape resolve(MultiLayerConfiguration conf, OptionalInt features) {
        return resolve(new Entry() {
            @Override
            public Layer layer() {
                return conf.getConf(0).getLayer();
            }

            @Override
            public InputPreProcessor preprocessor() {
                return conf.getInputPreProcess(0);
            }

            @Override
            public List<Layer> path() {
                return conf.getConfs().stream().map(c -> c.getLayer()).toList();
            }

            @Override
            public boolean accepts(InputType candidate) {
                InputType type = candidate;
                try {
                    for (int i = 0; i < conf.getConfs().size(); i++) {
                        type = accept(conf.getInputPreProcess(i), conf.getConf(i).getLayer(), type);
                        if (type == null) {
                            return false;
                        }
                        type = conf.getConf(i).getLayer().getOutputType(i, type);
                    }
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }, features, "the network");
    }

    static ExampleShape resolve(ComputationGraphConfiguration network, OptionalInt features) {
        // DL4J's type propagation may set layers' input sizes as it goes: probe a copy, never the user's network
        ComputationGraphConfiguration conf = network.clone();
        String input = conf.getNetworkInputs().get(0);
        LayerVertex first = null;
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().contains(input) && conf.getVertices().get(e.getKey()) instanceof LayerVertex v) {
                first = v;
                break;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("cannot infer the input size of the graph: no layer reads its input '"
                    + input + "'; pass the per-example input shape explicitly");
        }
        LayerVertex entry = first;
        return resolve(new Entry() {
            @Override
            public Layer layer() {
                return entry.getLayerConf().getLayer();
            }

            @Override
            public InputPreProcessor preprocessor() {
                return entry.getPreProcessor();
            }

            @Override
            public List<Layer> path() {
                List<Layer> layers = new ArrayList<>();
                String at = null;
                for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
                    if (e.getValue() == entry) {
                        at = e.getKey();
                    }
                }
                while (at != null && conf.getVertices().get(at) instanceof LayerVertex v) {
                    layers.add(v.getLayerConf().getLayer());
                    String from = at;
                    List<String> next = conf.getVertexInputs().entrySet().stream()
                            .filter(e -> e.getValue().contains(from)).map(Map.Entry::getKey).toList();
                    at = next.size() == 1 && conf.getVertexInputs().get(next.get(0)).size() == 1 ? next.get(0) : null;
                }
                return layers;
            }

            @Override
            public boolean accepts(InputType candidate) {
                try {
                    Map<String, InputType> types = conf.getLayerActivationTypes(true, false, candidate);
                    for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
                        if (e.getValue() instanceof LayerVertex v) {
                            String from = conf.getVertexInputs().get(e.getKey()).get(0);
                            InputType in = from.equals(input) ? candidate : types.get(from);
                            if (in == null || accept(v.getPreProcessor(), v.getLayerConf().getLayer(), in) == null) {
                                return false;
                            }
                        }
                    }
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }, features, "the graph");
    }

    /**
     * @return what the layer receives after the preprocessor, or {@code null} if it does not fit the layer
     */
    private static InputType accept(InputPreProcessor preprocessor, Layer layer, InputType type) {
        InputType in = type;
        if (preprocessor instanceof CnnToFeedForwardPreProcessor flatten) {
            if (!(in instanceof InputType.InputTypeConvolutional c) || !recordsSize(flatten, c)) {
                return null;
            }
        }
        if (preprocessor != null) {
            in = preprocessor.getOutputType(in);
        }
        if (layer instanceof ConvolutionLayer conv && conv.getNIn() > 0) {
            return in instanceof InputType.InputTypeConvolutional c && c.getChannels() == conv.getNIn() ? in : null;
        }
        if (isDense(layer) && ((FeedForwardLayer) layer).getNIn() > 0) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return in instanceof InputType.InputTypeFeedForward f && f.getSize() == nIn ? in : null;
        }
        return in;
    }

    private static boolean recordsSize(CnnToFeedForwardPreProcessor flatten, InputType.InputTypeConvolutional c) {
        return flatten.equals(new CnnToFeedForwardPreProcessor(c.getHeight(), c.getWidth(), c.getChannels(),
                c.getFormat()));
    }

    /** @return whether the layer reads a vector of {@code nIn} features: a dense or output layer */
    private static boolean isDense(Layer layer) {
        return layer instanceof org.deeplearning4j.nn.conf.layers.DenseLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
    }

    private static boolean isImageLayer(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer || layer instanceof ZeroPaddingLayer;
    }

    private static ExampleShape resolve(Entry entry, OptionalInt features, String what) {
        InputPreProcessor preprocessor = entry.preprocessor();
        Layer layer = entry.layer();
        if (preprocessor instanceof FeedForwardToCnnPreProcessor cnn) {
            long n = cnn.getNumChannels() * cnn.getInputHeight() * cnn.getInputWidth();
            return new ExampleShape(InputType.convolutionalFlat(cnn.getInputHeight(), cnn.getInputWidth(),
                    cnn.getNumChannels()), new long[] {n});
        }
        if (preprocessor instanceof KerasFlattenRnnPreprocessor flatten) {
            // DL4J's Keras importer flattens a Keras (rows, columns) input in row-major order: the example is that row
            long n = flatten.getDepth() * flatten.getTsLength();
            return new ExampleShape(InputType.feedForward(n), new long[] {n});
        }
        if (preprocessor == null && layer instanceof FeedForwardLayer dense && !isImageLayer(layer)
                && dense.getNIn() > 0 && !(layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization)) {
            return new ExampleShape(InputType.feedForward(dense.getNIn()), new long[] {dense.getNIn()});
        }
        if (preprocessor == null && isImageLayer(layer)) {
            return image(entry, features, what);
        }
        throw new IllegalArgumentException("cannot infer the input size of " + what + " (first layer "
                + layer.getClass().getSimpleName() + (preprocessor == null ? "" : " after " + preprocessor)
                + "); pass the per-example input shape explicitly");
    }

    private static ExampleShape image(Entry entry, OptionalInt features, String what) {
        Layer layer = entry.layer();
        CNN2DFormat format = format(layer);
        long channels = channels(entry.path());
        if (channels < 1) {
            throw new IllegalArgumentException("cannot infer the input channels of " + what + ", whose first layer is a "
                    + layer.getClass().getSimpleName() + "; pass the per-example input shape explicitly");
        }
        List<long[]> candidates = new ArrayList<>();
        if (features.isPresent()) {
            if (features.getAsInt() % channels != 0) {
                throw new IllegalArgumentException(what + " takes images of " + channels + " channels, which "
                        + features.getAsInt() + " features per example cannot be");
            }
            long pixels = features.getAsInt() / channels;
            long side = Math.round(Math.sqrt(pixels));
            if (side * side == pixels && entry.accepts(InputType.convolutional(side, side, channels, format))) {
                // the one square candidate wins anyway: skip probing the others, whose outputs DL4J warns about
                return imageShape(side, side, channels, format);
            }
            for (long h = 1; h <= pixels; h++) {
                if (pixels % h == 0 && entry.accepts(InputType.convolutional(h, pixels / h, channels, format))) {
                    candidates.add(new long[] {h, pixels / h});
                }
            }
        } else {
            for (long side = 1; side <= MAX_SIDE; side++) {
                if (entry.accepts(InputType.convolutional(side, side, channels, format))) {
                    candidates.add(new long[] {side, side});
                }
            }
        }
        List<long[]> square = candidates.stream().filter(c -> c[0] == c[1]).toList();
        List<long[]> chosen = square.size() == 1 ? square : candidates;
        if (chosen.size() != 1) {
            throw new IllegalArgumentException("cannot infer the image size of " + what + " declared with "
                    + "InputType.convolutional: " + (chosen.isEmpty() ? "no size" : chosen.size() + " sizes")
                    + " of " + channels + "-channel images fit its layers" + (features.isPresent() ? " and "
                    + features.getAsInt() + " features" : "") + "; pass the per-example input shape explicitly, e.g. "
                    + (format == CNN2DFormat.NHWC ? "(28, 28, " + channels + ")" : "(" + channels + ", 28, 28)"));
        }
        return imageShape(chosen.get(0)[0], chosen.get(0)[1], channels, format);
    }

    private static ExampleShape imageShape(long h, long w, long channels, CNN2DFormat format) {
        return new ExampleShape(InputType.convolutional(h, w, channels, format),
                format == CNN2DFormat.NHWC ? new long[] {h, w, channels} : new long[] {channels, h, w});
    }

    /**
     * @return the input's channels: the first convolution's or batch normalization's, reached through layers that
     *         keep the channels (zero padding, pooling); 0 if no such layer records them
     */
    private static long channels(List<Layer> path) {
        for (Layer layer : path) {
            if (layer instanceof ConvolutionLayer conv) {
                return conv.getNIn();
            }
            if (layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization norm) {
                return norm.getNIn();
            }
            if (!(layer instanceof ZeroPaddingLayer) && !(layer instanceof SubsamplingLayer)) {
                return 0;
            }
        }
        return 0;
    }

    static CNN2DFormat format(Layer layer) {
        if (layer instanceof ConvolutionLayer conv && conv.getCnn2dDataFormat() != null) {
            return conv.getCnn2dDataFormat();
        }
        if (layer instanceof SubsamplingLayer pool && pool.getCnn2dDataFormat() != null) {
            return pool.getCnn2dDataFormat();
        }
        if (layer instanceof ZeroPaddingLayer pad && pad.getDataFormat() != null) {
            return pad.getDataFormat();
        }
        return CNN2DFormat.NCHW;
    }

    /**
     * @param shape a shape given by the caller: {@code [n]}, or an image as the first layer's data format orders it
     * @return the example shape it means for a network whose first layer is {@code first}
     */
    static ExampleShape explicit(long[] shape, Layer first) {
        size(shape);
        if (shape.length == 3) {
            CNN2DFormat format = format(first);
            InputType type = format == CNN2DFormat.NHWC ? InputType.convolutional(shape[0], shape[1], shape[2], format)
                    : InputType.convolutional(shape[1], shape[2], shape[0], format);
            return new ExampleShape(type, shape.clone());
        }
        if (shape.length == 1) {
            return new ExampleShape(InputType.feedForward(shape[0]), shape.clone());
        }
        throw new IllegalArgumentException("an example shape is [features] or an image's 3 dimensions, not "
                + java.util.Arrays.toString(shape));
    }
}
