// A language host for the Pulumi CLI we build (test/pulumi-cli/build.ts), installed under the
// name of the host it wraps (pulumi-language-python, pulumi-language-nodejs), and as
// pulumi-language-go, which wraps none: it generates Go SDKs, and runs no Go program. The hosts these
// machines can build are sdk/v3 v3.68.0's: they run programs, but answer "method GenerateProgram
// not implemented" to `pulumi import --generate-code` and "method GeneratePackage not
// implemented" to `pulumi package gen-sdk`, which the CLI of today asks of the language host. This
// one starts the old host (hosts/<its own name>), passes every call to it unchanged, and answers
// those two itself with the code generators of the CLI's own release (pkg/v3), as the newer hosts do.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"encoding/json"
	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"
)

const service = "/pulumirpc.LanguageRuntime/"

// version is the Pulumi release whose code generators this is built with (set by the build).
var version = "dev"

func main() {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fail(err)
	}
	name := filepath.Base(self)
	language := strings.TrimPrefix(name, "pulumi-language-")
	wrapped := filepath.Join(filepath.Dir(self), "hosts", name)
	port := ""
	if _, err := os.Stat(wrapped); err == nil {
		if port, err = startWrapped(wrapped, os.Args[1:]); err != nil {
			fail(err)
		}
	}
	conn, err := grpc.NewClient("127.0.0.1:"+port, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(400<<20), grpc.MaxCallSendMsgSize(400<<20)))
	if err != nil {
		fail(err)
	}
	server := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}), grpc.MaxRecvMsgSize(400<<20), grpc.MaxSendMsgSize(400<<20),
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error {
			method, _ := grpc.MethodFromServerStream(stream)
			switch method {
			case service + "GenerateProgram":
				return unary(stream, &pulumirpc.GenerateProgramRequest{}, func(req *pulumirpc.GenerateProgramRequest) (proto.Message, error) {
					return generateProgram(language, req)
				})
			case service + "GeneratePackage":
				return unary(stream, &pulumirpc.GeneratePackageRequest{}, func(req *pulumirpc.GeneratePackageRequest) (proto.Message, error) {
					return generatePackage(language, req)
				})
			}
			if port == "" && method == service+"GetPluginInfo" {
				return unary(stream, &emptypb.Empty{}, func(*emptypb.Empty) (proto.Message, error) {
					return &pulumirpc.PluginInfo{Version: version}, nil
				})
			}
			if port == "" {
				return status.Errorf(codes.Unimplemented, "%s: pulumi-language-%s here generates code only", method, language)
			}
			return forward(conn, method, stream)
		}))
	listener, err := listen()
	if err != nil {
		fail(err)
	}
	fmt.Println(listener.port)
	if err := server.Serve(listener.Listener); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language host wrapper: %v\n", err)
	os.Exit(1)
}

// startWrapped runs the old host with our arguments; it prints its port first, then its logs
// (passed on). It dies with us.
func startWrapped(path string, args []string) (string, error) {
	cmd := exec.Command(path, args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting %s: %w", path, err)
	}
	reader := bufio.NewReader(out)
	line, err := reader.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("%s printed no port: %w", path, err)
	}
	go func() { _, _ = io.Copy(os.Stdout, reader) }()
	return strings.TrimSpace(line), nil
}

// frame is one message as bytes: calls pass through without being decoded.
type frame struct{ data []byte }

type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	if f, ok := v.(*frame); ok {
		return f.data, nil
	}
	return proto.Marshal(v.(proto.Message))
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	if f, ok := v.(*frame); ok {
		f.data = append([]byte(nil), data...)
		return nil
	}
	return proto.Unmarshal(data, v.(proto.Message))
}

func (rawCodec) Name() string { return "proto" }

// forward passes a call (unary or streaming) to the old host and its answers back.
func forward(conn *grpc.ClientConn, method string, stream grpc.ServerStream) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		ctx = metadata.NewOutgoingContext(ctx, md.Copy())
	}
	client, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method, grpc.ForceCodec(rawCodec{}))
	if err != nil {
		return err
	}
	go func() {
		for {
			f := &frame{}
			if err := stream.RecvMsg(f); err != nil {
				if err == io.EOF {
					_ = client.CloseSend()
				} else {
					cancel()
				}
				return
			}
			if err := client.SendMsg(f); err != nil {
				return
			}
		}
	}()
	for {
		f := &frame{}
		if err := client.RecvMsg(f); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := stream.SendMsg(f); err != nil {
			return err
		}
	}
}

func unary[Req proto.Message](stream grpc.ServerStream, req Req, answer func(Req) (proto.Message, error)) error {
	if err := stream.RecvMsg(req); err != nil {
		return err
	}
	res, err := answer(req)
	if err != nil {
		return err
	}
	return stream.SendMsg(res)
}

func generateProgram(language string, req *pulumirpc.GenerateProgramRequest) (proto.Message, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	parser := syntax.NewParser()
	for name, source := range req.Source {
		if err := parser.ParseFile(strings.NewReader(source), name); err != nil {
			return nil, err
		}
	}
	if parser.Diagnostics.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics)}, nil
	}
	var options []pcl.BindOption
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() || program == nil {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	var files map[string][]byte
	var generated hcl.Diagnostics
	switch language {
	case "python":
		files, generated, err = python.GenerateProgram(program)
	case "nodejs":
		files, generated, err = nodejs.GenerateProgram(program)
	default:
		return nil, fmt.Errorf("no program generator for %s", language)
	}
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProgramResponse{Source: files, Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(append(diags, generated...))}, nil
}

func generatePackage(language string, req *pulumirpc.GeneratePackageRequest) (proto.Message, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, err
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	var files map[string][]byte
	switch language {
	case "python":
		files, err = python.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	case "nodejs":
		files, err = nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.ExtraFiles, req.LocalDependencies, req.Local, loader)
	case "go":
		files, err = gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
	default:
		return nil, fmt.Errorf("no package generator for %s", language)
	}
	if err != nil {
		return nil, err
	}
	for name, content := range files {
		path := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

type portListener struct {
	net.Listener
	port int
}

func listen() (portListener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return portListener{}, err
	}
	return portListener{l, l.Addr().(*net.TCPAddr).Port}, nil
}
