package org.livernode.model.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph being written: float32 tensors only, nodes with one output, encoded with {@link Protobuf}. The
 * field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto); IR version 8 (initializers need not be graph inputs), the default domain at {@link #OPSET}.
 */
final class OnnxGraph {

    static final long IR_VERSION = 8;
    static final long OPSET = 17;

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private int names;

    /** An attribute of a node (AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20). */
    record Attribute(Protobuf proto) {
        static Attribute f(String name, float value) {
            return new Attribute(new Protobuf().string(1, name).float32(2, value).varint(20, 1));
        }

        static Attribute i(String name, long value) {
            return new Attribute(new Protobuf().string(1, name).varint(3, value).varint(20, 2));
        }

        static Attribute s(String name, String value) {
            return new Attribute(new Protobuf().string(1, name).string(4, value).varint(20, 3));
        }

        static Attribute ints(String name, long... values) {
            Protobuf p = new Protobuf().string(1, name);
            for (long v : values) {
                p.varint(8, v); // unpacked: AttributeProto.ints is a proto2 repeated field without [packed]
            }
            return new Attribute(p.varint(20, 7));
        }
    }

    /** A new value name, unique in the graph. */
    String name(String prefix) {
        return prefix + "_" + names++;
    }

    /** Adds a node (NodeProto: input 1, output 2, name 3, op_type 4, attribute 5); returns its output's name. */
    String node(String opType, List<String> in, Attribute... attributes) {
        return nodeTo(name(opType), opType, in, attributes);
    }

    /** A node whose output has a given name (a graph output). */
    String nodeTo(String out, String opType, List<String> in, Attribute... attributes) {
        Protobuf node = new Protobuf();
        for (String i : in) {
            node.string(1, i);
        }
        node.string(2, out).string(3, out).string(4, opType);
        for (Attribute a : attributes) {
            node.message(5, a.proto());
        }
        nodes.add(node);
        return out;
    }

    String node(String opType, String in, Attribute... attributes) {
        return node(opType, List.of(in), attributes);
    }

    /** A float32 constant (TensorProto: dims 1, data_type 2, name 8, raw_data 9). */
    String floats(String prefix, float[] values, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(prefix + ": " + values.length + " values for dims " + java.util.Arrays.toString(dims));
        }
        String name = name(prefix);
        initializers.add(new Protobuf().packedVarints(1, dims).varint(2, FLOAT).string(8, name)
                .bytes(9, Protobuf.littleEndian(values)));
        return name;
    }

    /** A one-dimensional int64 constant (a shape for Reshape or Expand; int64_data is field 7). */
    String int64s(String prefix, long... values) {
        String name = name(prefix);
        initializers.add(new Protobuf().packedVarints(1, values.length).varint(2, INT64).string(8, name)
                .packedVarints(7, values));
        return name;
    }

    /** A float32 graph input; a dimension given as -1 is named "batch" (symbolic). */
    void input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
    }

    void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    /** ValueInfoProto (name 1, type 2) of a float tensor: TypeProto.tensor_type 1 {elem_type 1, shape 2 {dim 1}}. */
    private static Protobuf valueInfo(String name, long... dims) {
        Protobuf shape = new Protobuf();
        for (long d : dims) {
            shape.message(1, d < 0 ? new Protobuf().string(2, "batch") : new Protobuf().varint(1, d));
        }
        Protobuf tensor = new Protobuf().varint(1, FLOAT).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensor));
    }

    /**
     * The ModelProto (ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8) around the graph
     * (GraphProto: node 1, name 2, initializer 5, input 11, output 12).
     */
    byte[] model(String graphName, String producerVersion) {
        Protobuf graph = new Protobuf();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, graphName);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return new Protobuf().varint(1, IR_VERSION).string(2, "livernode").string(3, producerVersion)
                .message(7, graph).message(8, new Protobuf().string(1, "").varint(2, OPSET)).toByteArray();
    }
}
